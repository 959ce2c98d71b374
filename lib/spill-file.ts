// A temp file for bytes that would otherwise wait in memory (nginx's proxy_temp idea): a turn's text that outgrew
// memory (engine/turn-text.ts) and a stream's backlog behind a client that stopped reading (http/sse.ts). Unlinked as
// soon as it is created: the system frees it when it is closed, after a crash too, and nothing is left to clean up.
import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// A file its owner dropped without closing it (a turn cut with its client) is closed when the owner is collected.
const open = new FinalizationRegistry<{ fd: number | null }>((handle) => closeHandle(handle));

function closeHandle(handle: { fd: number | null }): void {
  if (handle.fd === null) return;
  try {
    closeSync(handle.fd);
  } catch {
    // already closed: nothing to release
  }
  handle.fd = null;
}

export class SpillFile {
  /** Bytes written so far (the end of the file). */
  size = 0;

  private constructor(private readonly handle: { fd: number | null }) {}

  /**
   * A new file in `dir` (created when missing), closed when `owner` is collected if not before; null when none can
   * be had (read-only disk, no space): the caller keeps its bytes in memory then.
   */
  static create(dir: string, owner: object): SpillFile | null {
    const path = join(dir, `.spill-${process.pid}-${randomBytes(6).toString('hex')}`);
    let fd: number | null = null;
    try {
      mkdirSync(dir, { recursive: true });
      fd = openSync(path, 'w+', 0o600);
      unlinkSync(path);
    } catch {
      if (fd !== null) closeSync(fd);
      return null;
    }
    const file = new SpillFile({ fd });
    open.register(owner, file.handle, file.handle);
    return file;
  }

  /** Appends `bytes[0, length)`; false when the disk refuses them (full), and then nothing counts as written. */
  append(bytes: Buffer, length = bytes.length): boolean {
    const fd = this.handle.fd;
    if (fd === null) return false;
    try {
      for (let at = 0; at < length; ) at += writeSync(fd, bytes, at, length - at, this.size + at);
    } catch {
      return false;
    }
    this.size += length;
    return true;
  }

  /** `length` bytes from `position` (fewer at the end of the file). */
  read(position: number, length: number): Buffer {
    const fd = this.handle.fd;
    const bytes = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    if (fd === null) return bytes.subarray(0, 0);
    for (let at = 0; at < bytes.length; ) {
      const got = readSync(fd, bytes, at, bytes.length - at, position + at);
      if (got === 0) return bytes.subarray(0, at);
      at += got;
    }
    return bytes;
  }

  /** Empties the file for reuse from its start. */
  clear(): void {
    if (this.handle.fd === null) return;
    try {
      ftruncateSync(this.handle.fd, 0);
    } catch {
      // the bytes past the new end are overwritten or never read
    }
    this.size = 0;
  }

  close(): void {
    closeHandle(this.handle);
    open.unregister(this.handle);
  }
}
