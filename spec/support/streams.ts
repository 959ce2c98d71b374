// Helpers that turn each chunk-boundary case of a stream test into one line (after ACP's
// src/test-support/streams.ts).

const encoder = new TextEncoder();

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** A byte stream that enqueues each chunk (strings as UTF-8) and closes. */
export function streamFromChunks(chunks: Iterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const bytes = [...chunks].map(toBytes);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of bytes) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Splits text (as UTF-8) or bytes into chunks of `size` bytes, so characters may be cut in two. */
export function chunkBytes(data: string | Uint8Array, size: number): Uint8Array[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const bytes = toBytes(data);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

/** Every way to cut the bytes in two: `[before, after]` for each offset from 0 to length inclusive. */
export function splitAtEveryOffset(data: string | Uint8Array): Array<[Uint8Array, Uint8Array]> {
  const bytes = toBytes(data);
  const splits: Array<[Uint8Array, Uint8Array]> = [];
  for (let offset = 0; offset <= bytes.length; offset++) {
    splits.push([bytes.subarray(0, offset), bytes.subarray(offset)]);
  }
  return splits;
}

/** Reads an async iterable to the end, collecting every value. */
export async function collectAll<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}
