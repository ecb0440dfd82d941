import { describe, expect, test } from 'vitest';
import { SseParser, type SseEvent } from './sse';

/** Feeds `pieces` in order and collects every event, including the ones `end()` flushes. */
function parse(pieces: string[]): SseEvent[] {
  const parser = new SseParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

const datas = (events: SseEvent[]) => events.map((event) => event.data);

const body =
  ': keep-alive\n\n' +
  'data: {"a":1}\n\n' +
  'event: note\ndata: first\ndata: second\n\n' +
  'id: 7\ndata:no-space\n\n' +
  'data: é ∑ 🙂\n\n' +
  'data: [DONE]\n\n';

const expected: SseEvent[] = [
  { type: 'message', data: '{"a":1}', id: '' },
  { type: 'note', data: 'first\nsecond', id: '' },
  { type: 'message', data: 'no-space', id: '7' },
  { type: 'message', data: 'é ∑ 🙂', id: '7' },
  { type: 'message', data: '[DONE]', id: '7' },
];

describe('SseParser', () => {
  test('reads data, event, id and comments from one piece', () => {
    expect(parse([body])).toEqual(expected);
  });

  test('gives the same events however the text is split', () => {
    for (let size = 1; size <= 9; size += 1) {
      const pieces: string[] = [];
      for (let i = 0; i < body.length; i += size) pieces.push(body.slice(i, i + size));
      expect(parse(pieces)).toEqual(expected);
    }
  });

  test('gives the same events at every single split point', () => {
    for (let cut = 0; cut <= body.length; cut += 1) {
      expect(parse([body.slice(0, cut), body.slice(cut)])).toEqual(expected);
    }
  });

  test('accepts CRLF and CR line endings, with a CRLF split between pieces', () => {
    const crlf = body.replaceAll('\n', '\r\n');
    expect(parse([crlf])).toEqual(expected);
    expect(parse([body.replaceAll('\n', '\r')])).toEqual(expected);
    for (let cut = 0; cut <= crlf.length; cut += 1) {
      expect(parse([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(expected);
    }
    // A CR at the end of one piece and the LF at the start of the next, with an empty piece between.
    expect(parse(['data: x\r', '', '\ndata: y\r\n\r\n'])).toEqual([
      { type: 'message', data: 'x\ny', id: '' },
    ]);
  });

  test('returns several events from one piece, in order', () => {
    const parser = new SseParser();
    expect(datas(parser.push('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4'))).toEqual(['1', '2', '3']);
    expect(datas(parser.push('\n\n'))).toEqual(['4']);
  });

  test('skips a byte-order mark at the start only', () => {
    expect(datas(parse(['\uFEFFdata: a\n\n']))).toEqual(['a']);
    expect(datas(parse(['data: \uFEFFa\n\n']))).toEqual(['\uFEFFa']);
  });

  test('ignores blank events, unknown fields and retry', () => {
    expect(parse(['\n\n\nretry: 10\n\nfoo: bar\n\nevent: x\n\ndata\n\n'])).toEqual([
      { type: 'message', data: '', id: '' },
    ]);
  });

  test('end() flushes a last event without its blank line, and nothing else', () => {
    expect(datas(parse(['data: tail']))).toEqual(['tail']);
    expect(datas(parse(['data: tail\n']))).toEqual(['tail']);
    expect(parse([': only a comment'])).toEqual([]);
    expect(parse([])).toEqual([]);
  });
});
