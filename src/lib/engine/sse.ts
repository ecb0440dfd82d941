// Server-sent events, parsed incrementally from text however the network split it (WHATWG rules).
// It never throws: what a line means (JSON or not) is the caller's business; a cut-off tail is kept.

/** One event from a `text/event-stream` body. */
export interface SseEvent {
  /** the `event:` field; 'message' when the server named none */
  type: string;
  /** the `data:` lines joined with '\n' */
  data: string;
  /** the last `id:` seen, '' before any */
  id: string;
}

/**
 * Feed it decoded text in whatever pieces arrive; it returns the events each piece completes.
 * Lines end in LF, CRLF or CR (a CRLF split across two pieces counts once); lines starting with
 * ':' are comments; an event ends at a blank line. Unlike the spec, `end()` also hands back a last
 * event that lacked its closing blank line, since some servers end the body right after it.
 */
export class SseParser {
  /** the unfinished line */
  #line = '';
  #data: string[] = [];
  #type = '';
  #id = '';
  #started = false;
  /** the previous piece ended in CR: a LF that starts the next one belongs to it */
  #afterCR = false;

  /** Parses the next piece of text; returns the events it completed, in order. */
  push(piece: string): SseEvent[] {
    let text = piece;
    if (text === '') return [];
    if (!this.#started) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.#afterCR && text.startsWith('\n')) text = text.slice(1);
    const events: SseEvent[] = [];
    const buffer = this.#line + text;
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = breaks.exec(buffer); match; match = breaks.exec(buffer)) {
      this.#take(buffer.slice(start, match.index), events);
      start = match.index + match[0].length;
    }
    this.#line = buffer.slice(start);
    this.#afterCR = buffer.endsWith('\r');
    return events;
  }

  /** The body ended: returns a last line and event that the server did not terminate. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#line !== '') this.#take(this.#line, events);
    this.#line = '';
    this.#take('', events);
    return events;
  }

  #take(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) {
        events.push({ type: this.#type || 'message', data: this.#data.join('\n'), id: this.#id });
      }
      this.#data = [];
      this.#type = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#type = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}
