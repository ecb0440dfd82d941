import { describe, expect, it } from 'vitest';
import { optionsFromDataset, optionsFromQuery } from './options';
import {
  envelope,
  maxEmbedSamples,
  parseHostMessage,
  parseWidgetMessage,
  type HostBody,
  type WidgetBody,
} from './protocol';
import { iframeSnippet, scriptSnippet, widgetUrl } from './snippet';

describe('parseHostMessage', () => {
  const good: HostBody[] = [
    { type: 'configure', options: {} },
    {
      type: 'configure',
      options: {
        question: 'How many?',
        mode: 'ensemble',
        k: 5,
        model: 'qwen2.5-math-1.5b',
        customModel: { modelUrl: 'https://m.example/x', libUrl: 'https://m.example/x.wasm' },
        server: { baseUrl: 'http://localhost:11434/v1', model: 'qwen2-math:7b', apiKey: 'k' },
        autorun: true,
      },
    },
    { type: 'solve', id: 'q1', question: 'How many?' },
    { type: 'solve', id: 'q1', question: 'How many?', mode: 'single', k: 1 },
    { type: 'stop', id: 'q1' },
  ];

  it.each(good)('accepts a well-formed $type', (body) => {
    expect(parseHostMessage(envelope(body))).toEqual(envelope(body));
  });

  const bad: [string, unknown][] = [
    ['a string', 'solve'],
    ['null', null],
    ['an array', [1]],
    ['no envelope', { type: 'solve', id: 'q', question: 'x' }],
    ['another protocol', { protocol: 'other', v: 1, type: 'stop', id: 'q' }],
    ['another version', { protocol: 'tally-embed', v: 2, type: 'stop', id: 'q' }],
    [
      'an unknown type',
      {
        ...envelope({ type: 'stop', id: 'q' }),
        type: 'eval',
      },
    ],
    ['a number question', { ...envelope({ type: 'solve', id: 'q', question: 'x' }), question: 42 }],
    ['an empty id', envelope({ type: 'solve', id: '', question: 'x' })],
    ['a huge id', envelope({ type: 'solve', id: 'x'.repeat(101), question: 'x' })],
    ['a bad mode', { ...envelope({ type: 'solve', id: 'q', question: 'x' }), mode: 'all' }],
    ['k of 0', envelope({ type: 'solve', id: 'q', question: 'x', k: 0 })],
    ['k too big', envelope({ type: 'solve', id: 'q', question: 'x', k: maxEmbedSamples + 1 })],
    ['a fractional k', envelope({ type: 'solve', id: 'q', question: 'x', k: 2.5 })],
    ['an extra key', { ...envelope({ type: 'stop', id: 'q' }), html: '<img>' }],
    ['options not an object', { ...envelope({ type: 'configure', options: {} }), options: 'x' }],
    [
      'a javascript: server',
      envelope({
        type: 'configure',
        options: { server: { baseUrl: 'javascript:alert(1)', model: 'm' } },
      }),
    ],
    [
      'a server without a model',
      envelope({
        type: 'configure',
        options: { server: { baseUrl: 'https://s.example/v1', model: '' } },
      }),
    ],
    [
      'an extra option',
      { ...envelope({ type: 'configure', options: {} }), options: { onload: 'x' } },
    ],
    [
      'autorun not a boolean',
      { ...envelope({ type: 'configure', options: {} }), options: { autorun: 'yes' } },
    ],
  ];

  it.each(bad)('ignores %s', (_, data) => {
    expect(parseHostMessage(data)).toBeUndefined();
  });
});

describe('parseWidgetMessage', () => {
  const good: WidgetBody[] = [
    { type: 'ready', version: '0.1.0' },
    { type: 'status', engine: 'webllm', storage: 'blocked', availability: 'missing' },
    { type: 'progress', id: null, stage: 'load', fraction: 0.5, text: 'Loading' },
    { type: 'progress', id: 'q', stage: 'solve', fraction: null, text: 'Solving' },
    {
      type: 'result',
      id: 'q',
      question: 'How many?',
      mode: 'ensemble',
      answer: '18',
      votes: { '18': 4, '17': 1 },
      agreement: 0.8,
      samples: 5,
    },
    {
      type: 'result',
      id: 'q',
      question: 'x',
      mode: 'single',
      answer: null,
      votes: {},
      agreement: 0,
      samples: 1,
    },
    { type: 'error', id: null, code: 'model-not-found', message: 'Not here.' },
    { type: 'resize', height: 312 },
  ];

  it.each(good)('accepts a well-formed $type', (body) => {
    expect(parseWidgetMessage(envelope(body))).toEqual(envelope(body));
  });

  it('ignores malformed ones', () => {
    expect(parseWidgetMessage(envelope({ type: 'resize', height: -1 }))).toBeUndefined();
    expect(
      parseWidgetMessage({ ...envelope({ type: 'ready', version: '1' }), engine: 'webllm' }),
    ).toBeUndefined();
    expect(parseWidgetMessage(envelope({ type: 'resize', height: Infinity }))).toBeUndefined();
    expect(
      parseWidgetMessage({ ...envelope({ type: 'resize', height: 1 }), height: '1px' }),
    ).toBeUndefined();
    const result = envelope({
      type: 'result',
      id: 'q',
      question: 'x',
      mode: 'single',
      answer: '1',
      votes: { '1': 1 },
      agreement: 1,
      samples: 1,
    });
    expect(parseWidgetMessage({ ...result, agreement: 1.5 })).toBeUndefined();
    expect(parseWidgetMessage({ ...result, votes: { '1': 'one' } })).toBeUndefined();
    expect(parseWidgetMessage({ ...result, samples: -1 })).toBeUndefined();
    expect(
      parseWidgetMessage({
        ...envelope({
          type: 'status',
          engine: 'webllm',
          storage: 'unknown',
          availability: 'found',
        }),
        availability: 'everywhere',
      }),
    ).toBeUndefined();
  });
});

describe('options from a script tag and from a query', () => {
  it('reads every data attribute', () => {
    expect(
      optionsFromDataset({
        question: 'Q?',
        mode: 'ensemble',
        k: '7',
        serverUrl: 'http://127.0.0.1:8080/v1',
        serverModel: 'mock-math',
        autorun: '',
      }),
    ).toEqual({
      question: 'Q?',
      mode: 'ensemble',
      k: 7,
      server: { baseUrl: 'http://127.0.0.1:8080/v1', model: 'mock-math' },
      autorun: true,
    });
  });

  it('drops an invalid attribute, keeps the rest, and names the dropped one', () => {
    const dropped: string[] = [];
    expect(
      optionsFromDataset({ question: 'Q?', mode: 'many', k: 'lots' }, (key) => dropped.push(key)),
    ).toEqual({ question: 'Q?' });
    expect(dropped).toEqual(['mode', 'k']);
  });

  it('reads a plain iframe query, never an API key', () => {
    expect(
      optionsFromQuery(
        '?question=Q%3F&mode=single&server=https%3A%2F%2Fs.example%2Fv1&server-model=m&key=secret',
      ),
    ).toEqual({
      question: 'Q?',
      mode: 'single',
      server: { baseUrl: 'https://s.example/v1', model: 'm' },
    });
    expect(optionsFromQuery('')).toEqual({});
    expect(optionsFromQuery('?k=99')).toEqual({});
  });
});

describe('snippets', () => {
  const base = 'https://tally.example/';

  it('escapes the question into one script tag', () => {
    const code = scriptSnippet(base, { question: 'Is "a" < b & c?', mode: 'ensemble', k: 5 });
    expect(code).toBe(
      '<script src="https://tally.example/embed.js" data-question="Is &quot;a&quot; &lt; b &amp; c?" data-mode="ensemble" data-k="5"></script>',
    );
  });

  it('round-trips options through the widget URL', () => {
    const options = {
      question: 'Q & A?',
      mode: 'ensemble' as const,
      k: 3,
      server: { baseUrl: 'https://s.example/v1', model: 'm' },
    };
    const url = new URL(widgetUrl(base, options));
    expect(url.pathname).toBe('/embed.html');
    expect(optionsFromQuery(url.search)).toEqual(options);
    expect(iframeSnippet(base, options)).toContain('src="https://tally.example/embed.html?');
  });
});
