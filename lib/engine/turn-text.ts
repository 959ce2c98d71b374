// A turn's reply text while the turn runs: in memory up to a bound, beyond it in a temp file. A turn keeps its whole
// text for its record, and an agent may send it faster than a client reads it: without the file, every stream whose
// client stopped reading would hold in memory all that the kernel's socket buffers took (12 MB each on loopback).
import { SpillFile } from '../spill-file.js';

/** Characters of a turn's text kept in memory; past them the text goes to the turn's temp file until it is read. */
export const TURN_TEXT_MEMORY_CHARS = 256 * 1024;
/** What a spilling turn collects before one write to its file (UTF-16: two bytes a character). */
const WRITE_BYTES = 256 * 1024;

export class TurnText {
  private parts: string[] = [];
  private held = 0;
  private file: SpillFile | null = null;
  /** Bytes waiting for the file, in native memory: deltas kept as strings would be promoted by a busy heap. */
  private pending: Buffer | null = null;
  private used = 0;
  private whole: string | null = '';
  /** Characters appended so far. */
  length = 0;

  constructor(
    /** Where the temp file goes (the gateway's data dir: disk, where the OS temp dir may be memory). */
    private readonly dir: string,
    private memoryChars = TURN_TEXT_MEMORY_CHARS,
  ) {}

  append(delta: string): void {
    if (delta === '') return;
    this.length += delta.length;
    this.whole = null;
    if (this.file) {
      this.encode(delta);
      return;
    }
    this.parts.push(delta);
    this.held += delta.length;
    if (this.held > this.memoryChars) this.spill();
  }

  /** The whole text. Reading it brings the file's part back into memory, once, and closes the file. */
  toString(): string {
    if (this.whole !== null) return this.whole;
    this.unspill();
    const text = this.parts.join('');
    this.parts = text === '' ? [] : [text];
    this.held = text.length;
    this.whole = text;
    return text;
  }

  /** Replaces the text (and drops its file). */
  reset(text: string): void {
    this.file?.close();
    this.file = this.pending = null;
    this.parts = text === '' ? [] : [text];
    this.held = this.length = text.length;
    this.whole = text;
  }

  private spill(): void {
    this.file = SpillFile.create(this.dir, this);
    if (!this.file) {
      this.memoryChars = Number.POSITIVE_INFINITY; // no file to be had: the text stays in memory, as it used to
      return;
    }
    this.pending = Buffer.allocUnsafeSlow(WRITE_BYTES);
    this.used = 0;
    const parts = this.parts;
    this.parts = [];
    this.held = 0;
    for (const part of parts) this.encode(part);
  }

  // UTF-16 in the file: any JS string comes back exactly (a surrogate pair split across two deltas included).
  private encode(delta: string): void {
    for (let from = 0; from < delta.length; ) {
      if (this.used === WRITE_BYTES) {
        if (!this.file!.append(this.pending!, this.used)) {
          // The disk is full: what the file holds comes back, and the text stays in memory from here on.
          this.memoryChars = Number.POSITIVE_INFINITY;
          this.unspill();
          this.parts.push(delta.slice(from));
          this.held += delta.length - from;
          return;
        }
        this.used = 0;
      }
      const room = (WRITE_BYTES - this.used) / 2;
      const piece = from === 0 && delta.length <= room ? delta : delta.slice(from, from + room);
      this.used += this.pending!.write(piece, this.used, 'utf16le');
      from += piece.length;
    }
  }

  /** The file's text and what is pending, back in memory ahead of anything held there; the file is closed. */
  private unspill(): void {
    if (!this.file) return;
    const text =
      this.file.read(0, this.file.size).toString('utf16le') + this.pending!.toString('utf16le', 0, this.used);
    this.file.close();
    this.file = this.pending = null;
    this.parts.unshift(text);
    this.held += text.length;
  }
}
