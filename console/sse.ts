// Server-sent events from a fetch body (EventSource cannot send an Authorization header): text in, events out, as
// the WHATWG parser reads them — lines end in CRLF, LF or CR, `data:` lines join with LF, the id persists.

export interface SseEvent {
  /** The `event:` name; 'message' when the frame named none. */
  event: string;
  /** The last `id:` seen so far (what Last-Event-ID resumes from); null before any. */
  id: string | null;
  data: string;
}

export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private lastId: string | null = null;

  /** The events completed by this chunk of text. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = /\r\n|\r|\n/.exec(this.buffer);
      if (!end) break;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next one.
      if (end[0] === '\r' && end.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** At the end of the body: a last frame without its blank line still counts. */
  finish(): SseEvent[] {
    const rest = this.buffer.replace(/\r$/, '');
    this.buffer = '';
    const events: SseEvent[] = [];
    if (rest) {
      const event = this.line(rest);
      if (event) events.push(event);
    }
    const last = this.line('');
    if (last) events.push(last);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const event = { event: this.event || 'message', id: this.lastId, data: this.data.join('\n') };
      this.data = [];
      this.event = '';
      return event;
    }
    if (line.startsWith(':')) return null; // a comment: keepalive, `: stream closed`
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return null;
  }
}
