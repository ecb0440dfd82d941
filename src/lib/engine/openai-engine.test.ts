import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { startMockOpenAI, toPieces, type MockOpenAI } from '../../../tests/fixtures/mock-openai';
import {
  neutralPenalties,
  type ChatMessage,
  type CompleteOptions,
  type LoadProgress,
} from './engine';
import { EngineError } from './errors';
import { OpenAIEngine, parseServerUrl, type OpenAIConfig } from './openai-engine';

let mock: MockOpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI();
});

afterAll(async () => {
  await mock.close();
});

beforeEach(() => {
  mock.reset();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const solution =
  'Janet has 16 - 3 - 4 = 9 eggs left.\nShe makes 9 * 2 = 18 dollars. The answer is \\boxed{18}.';
const messages: ChatMessage[] = [
  { role: 'system', content: 'Solve the problem step by step.' },
  { role: 'user', content: 'How much does Janet make from her ducks?' },
];
const greedy: CompleteOptions = { temperature: 0, top_p: 1, ...neutralPenalties, max_tokens: 512 };
const long = Array.from({ length: 300 }, (_, i) => `step${i}`).join(' ');

async function loaded(config: Partial<OpenAIConfig> = {}): Promise<OpenAIEngine> {
  const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math', ...config });
  await engine.load();
  return engine;
}

/** The EngineError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EngineError))
    throw new Error(`expected an EngineError, got ${String(error)}`);
  return error;
}

function thrown(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('parseServerUrl', () => {
  test.each([
    ['http://localhost:11434/v1', 'http://localhost:11434/v1'],
    ['http://localhost:11434/v1/', 'http://localhost:11434/v1'],
    ['  http://localhost:11434/v1//  ', 'http://localhost:11434/v1'],
    ['http://localhost:11434', 'http://localhost:11434/v1'],
    ['http://localhost:11434/', 'http://localhost:11434/v1'],
    ['HTTPS://Example.COM', 'https://example.com/v1'],
    ['localhost:11434', 'http://localhost:11434/v1'],
    ['localhost:8080/v1', 'http://localhost:8080/v1'],
    ['192.168.1.5:8000', 'http://192.168.1.5:8000/v1'],
    ['[::1]:8080', 'http://[::1]:8080/v1'],
    ['localhost', 'http://localhost/v1'],
    ['https://proxy.example.com/openai/v1/', 'https://proxy.example.com/openai/v1'],
    ['https://proxy.example.com/api', 'https://proxy.example.com/api'],
    ['http://localhost:8000/v1/chat/completions', 'http://localhost:8000/v1'],
    ['http://localhost:8000/v1/models', 'http://localhost:8000/v1'],
  ])('%s -> %s', (input, href) => {
    expect(parseServerUrl(input).href).toBe(href);
    expect(parseServerUrl(parseServerUrl(input).href).href).toBe(href);
  });

  test.each([
    ['', /Enter the server's URL/],
    ['   ', /Enter the server's URL/],
    ['ftp://example.com/v1', /http:\/\/ or https:\/\/, not ftp:/],
    ['javascript:alert(1)', /http:\/\/ or https:\/\/, not javascript:/],
    ['JavaScript:alert(1)', /not javascript:/],
    ['data:text/html,hi', /not data:/],
    ['file:///etc/passwd', /not file:/],
    ['mailto:me@example.com', /not mailto:/],
    ['http://', /is not a URL/],
    ['http://exa mple.com/v1', /is not a URL/],
    ['not a url', /^"not a url" is not a URL/],
    ['http://a%20b/v1', /is not a URL/],
    ['http://user:secret@localhost:11434/v1', /API key in its field/],
    ['http://localhost:11434/v1?key=1', /without "\?…" or "#…"/],
    ['http://localhost:11434/v1#x', /without/],
  ])('refuses %j', (input, message) => {
    const error = thrown(() => parseServerUrl(input));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('secret');
  });
});

describe('OpenAIEngine config', () => {
  test.each<[Partial<OpenAIConfig>, RegExp]>([
    [{ model: '  ' }, /Name the model/],
    [{ baseUrl: 'ftp://x' }, /http/],
    [{ concurrency: 0 }, /Concurrency/],
    [{ concurrency: 1.5 }, /Concurrency/],
    [{ timeoutMs: 0 }, /timeout/],
    [{ timeoutMs: Number.NaN }, /timeout/],
    [{ apiKey: 'sk-has space' }, /API key has characters/],
    [{ apiKey: 'sk-ünïcode' }, /API key has characters/],
  ])('refuses %j', (config, message) => {
    const error = thrown(
      () => new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math', ...config }),
    );
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('ünïcode');
  });

  test('exposes kind, concurrency and the normalized base URL, never the key', () => {
    const engine = new OpenAIEngine({
      baseUrl: `${mock.origin}/`,
      model: ' mock-math ',
      apiKey: 'sk-secret-123',
    });
    expect(engine.kind).toBe('openai');
    expect(engine.concurrency).toBe(4);
    expect(engine.baseUrl).toBe(mock.baseUrl);
    expect(JSON.stringify(engine)).not.toContain('sk-secret');
    expect(
      new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'm', concurrency: 2 }).concurrency,
    ).toBe(2);
  });
});

describe('load', () => {
  test('checks the model is listed and reports progress ending in ready', async () => {
    const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math' });
    const progress: LoadProgress[] = [];
    await engine.load((p) => progress.push(p));
    expect(progress.at(-1)).toMatchObject({ phase: 'ready', fraction: 1 });
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  test('a model the server lacks is model-not-found, naming what it has', async () => {
    mock.script({ models: ['qwen2-math:7b', 'llama3:8b'] });
    const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mistral' });
    const error = await failure(engine.load());
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('"mistral"');
    expect(error.message).toContain('qwen2-math:7b, llama3:8b');
  });

  test('a name without a tag matches Ollama’s :latest', async () => {
    mock.script({ models: ['qwen2-math:latest'] });
    const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'qwen2-math' });
    await expect(engine.load()).resolves.toBeUndefined();
  });

  test('the URL without /v1 works: a bare origin gets it', async () => {
    const engine = new OpenAIEngine({ baseUrl: mock.origin, model: 'mock-math' });
    await engine.load();
    const result = await engine.complete(messages, greedy);
    expect(result.text.length).toBeGreaterThan(0);
  });

  test('a wrong path is a 404 that says to check the URL', async () => {
    const engine = new OpenAIEngine({ baseUrl: `${mock.origin}/api`, model: 'mock-math' });
    const error = await failure(engine.load());
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/404/);
    expect(error.message).toMatch(/\/v1/);
  });

  test('no key where one is needed: unauthorized, asking for the key', async () => {
    mock.script({ apiKey: 'sk-right-key' });
    const error = await failure(
      new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math' }).load(),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/needs an API key/);
    expect(error.message).toMatch(/401/);
  });

  test('a wrong key: unauthorized, without the key in the message', async () => {
    mock.script({ apiKey: 'sk-right-key' });
    const engine = new OpenAIEngine({
      baseUrl: mock.baseUrl,
      model: 'mock-math',
      apiKey: 'sk-wrong-key',
    });
    const error = await failure(engine.load());
    expect(error.code).toBe('unauthorized');
    expect(error.message).toMatch(/refused the API key/);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/sk-wrong|sk-right/);
  });

  test('the right key gets through, on load and on complete', async () => {
    mock.script({ apiKey: 'sk-right-key', fallback: 'ok' });
    const engine = await loaded({ apiKey: 'sk-right-key' });
    expect((await engine.complete(messages, greedy)).text).toBe('ok');
  });

  test('connection refused: network, naming the server', async () => {
    const port = await closedPort();
    const engine = new OpenAIEngine({ baseUrl: `http://127.0.0.1:${port}`, model: 'm' });
    const error = await failure(engine.load());
    expect(error.code).toBe('network');
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  test('in a page, a network failure explains CORS and OLLAMA_ORIGINS', async () => {
    vi.stubGlobal('location', { origin: 'https://tally.example', protocol: 'https:' });
    const port = await closedPort();
    const local = await failure(
      new OpenAIEngine({ baseUrl: `http://127.0.0.1:${port}`, model: 'm' }).load(),
    );
    expect(local.code).toBe('network');
    expect(local.message).toContain('OLLAMA_ORIGINS=https://tally.example');
    expect(local.message).not.toMatch(/served over https/);
    // 0.0.0.0 reaches this machine (refused at once) but is not a loopback name for the hint.
    const remote = await failure(
      new OpenAIEngine({ baseUrl: `http://0.0.0.0:${port}/v1`, model: 'm' }).load(),
    );
    expect(remote.code).toBe('network');
    expect(remote.message).toMatch(/served over https/);
  });

  test('a server that accepts and never answers: timeout', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const engine = new OpenAIEngine({
        baseUrl: `http://127.0.0.1:${port}`,
        model: 'm',
        timeoutMs: 150,
      });
      const started = Date.now();
      const error = await failure(engine.load());
      expect(error.code).toBe('timeout');
      expect(error.message).toMatch(/did not answer within 0.2 s/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('an aborted load rejects with aborted', async () => {
    const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math' });
    const before = new AbortController();
    before.abort();
    expect((await failure(engine.load(undefined, before.signal))).code).toBe('aborted');
  });
});

describe('complete', () => {
  test('streams pieces in order and returns text, finish reason and usage', async () => {
    mock.script({ replies: [{ match: 'ducks', outputs: [solution] }] });
    const engine = await loaded();
    const deltas: string[] = [];
    const result = await engine.complete(messages, {
      ...greedy,
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas).toEqual(toPieces(solution));
    expect(result.text).toBe(solution);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.completionTokens).toBe(toPieces(solution).length);
    // The mock counts prompt words: 6 + 8.
    expect(result.usage.promptTokens).toBe(14);
    expect(result.usage.ms).toBeGreaterThan(0);
    // Read to the end, not cancelled: the server saw a whole stream.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.stats().aborted).toBe(0);
  });

  test('a body that arrives at once is read a slice at a time: the thread gets turns between', async () => {
    const text = 'word '.repeat(50_000);
    mock.script({ fallback: text });
    const engine = await loaded();
    // the network hands over the whole stream in one piece, as after a stall or from a fast server
    const network = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      const response = await network(...args);
      return new Response(await response.arrayBuffer(), { headers: response.headers });
    });
    let turns = 0;
    let running = true;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      turns += 1;
      if (running) channel.port2.postMessage(null);
    };
    const turnsAt: number[] = [];
    const result = await engine.complete(messages, {
      ...greedy,
      max_tokens: 100_000,
      onDelta: () => {
        if (turnsAt.length === 0) channel.port2.postMessage(null);
        turnsAt.push(turns);
      },
    });
    running = false;
    channel.port1.close();
    expect(result.text).toBe(text);
    expect(turnsAt).toHaveLength(50_000);
    expect(turnsAt.at(-1)).toBeGreaterThan(0);
  });

  test('sends the messages and sampling settings, streaming with usage', async () => {
    const engine = await loaded();
    await engine.complete(messages, {
      temperature: 0.7,
      top_p: 0.95,
      ...neutralPenalties,
      max_tokens: 300,
      seed: 11,
    });
    await engine.complete(messages, greedy);
    const [sampled, plain] = mock.stats().requests;
    expect(sampled).toEqual({
      model: 'mock-math',
      messages,
      temperature: 0.7,
      top_p: 0.95,
      max_tokens: 300,
      seed: 11,
      stream: true,
    });
    expect(plain?.seed).toBeUndefined();
  });

  test('asked for log-probabilities: sends logprobs and top_logprobs, and each piece carries its tokens', async () => {
    mock.script({
      replies: [
        {
          match: 'Janet',
          outputs: [{ text: 'Nine eggs, so 18.', logprobs: [-0.2, -2, -3], alternatives: ['Ten'] }],
        },
      ],
    });
    const engine = await loaded();
    const seen: { delta: string; tokens: readonly unknown[] | undefined }[] = [];
    const completion = await engine.complete(messages, {
      ...greedy,
      top_logprobs: 2,
      onDelta: (delta, tokens) => seen.push({ delta, tokens }),
    });
    const sent = mock.stats().requests[0];
    expect(sent).toMatchObject({ logprobs: true, top_logprobs: 2 });
    expect(completion.logprobs).toHaveLength(toPieces('Nine eggs, so 18.').length);
    // read as the model's own distribution over the top tokens sent: renormalised over them
    const norm = Math.log(Math.exp(-0.2) + Math.exp(-2));
    const first = completion.logprobs?.[0];
    expect(first?.token).toBe('Nine ');
    expect(first?.logprob).toBeCloseTo(-0.2 - norm, 12);
    expect(first?.top_logprobs.map((t) => t.token)).toEqual(['Nine ', 'Ten']);
    expect(first?.top_logprobs[0]?.logprob).toBeCloseTo(-0.2 - norm, 12);
    expect(first?.top_logprobs[1]?.logprob).toBeCloseTo(-2 - norm, 12);
    expect(seen.map((s) => s.tokens?.length)).toEqual(seen.map(() => 1));
  });

  test('not asked: no logprobs in the request and none on the completion', async () => {
    const engine = await loaded();
    const completion = await engine.complete(messages, greedy);
    expect(mock.stats().requests[0]?.logprobs).toBeUndefined();
    expect(completion).not.toHaveProperty('logprobs');
  });

  test('a server that ignores the request: the completion says logprobs null, the text is whole', async () => {
    mock.script({ wire: { omitLogprobs: true } });
    const engine = await loaded();
    const completion = await engine.complete(messages, { ...greedy, top_logprobs: 5 });
    expect(completion.logprobs).toBeNull();
    expect(completion.text).toContain('\\boxed{42}');
  });

  test('a server that ignores stream: true still gives the tokens of its one reply', async () => {
    mock.script({ wire: { ignoreStream: true } });
    const engine = await loaded();
    const completion = await engine.complete(messages, { ...greedy, top_logprobs: 3 });
    expect(completion.logprobs?.length).toBeGreaterThan(3);
    expect(completion.logprobs?.[0]?.top_logprobs).toHaveLength(3);
  });

  test('max_tokens cutting the text gives finishReason length', async () => {
    mock.script({ fallback: long });
    const engine = await loaded();
    const result = await engine.complete(messages, { ...greedy, max_tokens: 10 });
    expect(result.finishReason).toBe('length');
    expect(result.usage.completionTokens).toBe(10);
  });

  test('parses CRLF, comments and events split into 1-byte writes over real HTTP', async () => {
    const text = 'Ünïcode ∑ 🙂 and $x^2$:\r\n done.';
    mock.script({ fallback: text, wire: { crlf: true, comments: true, splitBytes: 1 } });
    const engine = await loaded();
    const deltas: string[] = [];
    const result = await engine.complete(messages, { ...greedy, onDelta: (d) => deltas.push(d) });
    expect(result.text).toBe(text);
    expect(deltas.join('')).toBe(result.text);
  });

  test('without a usage chunk, counts pieces and estimates the prompt at 4 characters a token', async () => {
    mock.script({ fallback: 'one two three', wire: { omitUsage: true } });
    const engine = await loaded();
    const result = await engine.complete(messages, greedy);
    expect(result.usage.completionTokens).toBe(3);
    const chars = messages.reduce((sum, m) => sum + m.content.length, 0);
    expect(result.usage.promptTokens).toBe(Math.ceil(chars / 4));
  });

  test('a stream that ends after finish_reason without [DONE] is complete', async () => {
    mock.script({ fallback: 'no done line', wire: { omitDone: true } });
    const engine = await loaded();
    expect((await engine.complete(messages, greedy)).text).toBe('no done line');
  });

  test('a server that holds the connection open after [DONE]: the answer still comes back', async () => {
    const held = new Set<Socket>();
    const server = createHttpServer((req, res) => {
      if (req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'm' }] }));
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const delta = { choices: [{ index: 0, delta: { content: 'held' }, finish_reason: 'stop' }] };
      res.write(`data: ${JSON.stringify(delta)}\n\ndata: [DONE]\n\n`);
      held.add(req.socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const engine = new OpenAIEngine({
        baseUrl: `http://127.0.0.1:${port}/v1`,
        model: 'm',
        timeoutMs: 10_000,
      });
      await engine.load();
      const started = Date.now();
      const result = await engine.complete(messages, greedy);
      expect(result.text).toBe('held');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a server that ignores stream: true and sends one JSON reply still works', async () => {
    mock.script({ fallback: 'all at once', wire: { ignoreStream: true } });
    const engine = await loaded();
    const deltas: string[] = [];
    const result = await engine.complete(messages, { ...greedy, onDelta: (d) => deltas.push(d) });
    expect(result.text).toBe('all at once');
    expect(deltas).toEqual(['all at once']);
    expect(result.usage.completionTokens).toBe(3);
  });

  test('abort from onDelta stops within one chunk and rejects with aborted', async () => {
    mock.script({ fallback: long, chunkDelayMs: 20 });
    const engine = await loaded();
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await failure(
      engine.complete(messages, {
        ...greedy,
        signal: controller.signal,
        onDelta: (d) => {
          deltas.push(d);
          if (deltas.length === 5) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('aborted');
    expect(error.name).toBe('AbortError');
    expect(deltas).toHaveLength(5);
    await until(() => mock.stats().aborted === 1);
    const [written] = mock.stats().chunksBeforeAbort;
    expect(written).toBeGreaterThanOrEqual(5);
    expect(written).toBeLessThanOrEqual(6);
  });

  test('abort from outside mid-stream: no delta after it, the server sees the close', async () => {
    mock.script({ fallback: long, chunkDelayMs: 15 });
    const engine = await loaded();
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = failure(
      engine.complete(messages, {
        ...greedy,
        signal: controller.signal,
        onDelta: (d) => deltas.push(d),
      }),
    );
    await until(() => deltas.length >= 8);
    const atAbort = deltas.length;
    controller.abort();
    expect((await pending).code).toBe('aborted');
    expect(deltas).toHaveLength(atAbort);
    await until(() => mock.stats().aborted === 1);
    expect(mock.stats().chunksBeforeAbort[0]).toBeLessThanOrEqual(atAbort + 2);
  });

  test('an already aborted signal rejects before any request', async () => {
    const engine = await loaded();
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      engine.complete(messages, { ...greedy, signal: controller.signal }),
    );
    expect(error.code).toBe('aborted');
    expect(mock.stats().requests).toHaveLength(0);
  });

  test('401 mid-session: unauthorized', async () => {
    const engine = await loaded({ apiKey: 'sk-old-key' });
    mock.script({ apiKey: 'sk-new-key' });
    const error = await failure(engine.complete(messages, greedy));
    expect(error.code).toBe('unauthorized');
    expect(error.message).not.toContain('sk-');
  });

  test('404 for the model: model-not-found with the server’s words', async () => {
    const engine = await loaded();
    mock.script({ models: ['other'] });
    const error = await failure(engine.complete(messages, greedy));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('"mock-math"');
    expect(error.message).toContain('does not exist');
  });

  test('500: server, with the status and the server’s message', async () => {
    const engine = await loaded();
    mock.script({ fail: { status: 500, times: 1 } });
    const error = await failure(engine.complete(messages, greedy));
    expect(error.code).toBe('server');
    expect(error.message).toMatch(/server.*500/i);
    expect(error.message).toContain('Mock failure 500.');
    // The failure was for one request only.
    expect((await engine.complete(messages, greedy)).finishReason).toBe('stop');
  });

  test('429 and 503: server, saying to wait for 429', async () => {
    const engine = await loaded();
    mock.script({ fail: { status: 429, times: 1 } });
    const busy = await failure(engine.complete(messages, greedy));
    expect(busy.code).toBe('server');
    expect(busy.message).toMatch(/busy \(429/);
    mock.script({ fail: { status: 503, times: 1 } });
    expect((await failure(engine.complete(messages, greedy))).message).toMatch(/failed \(503/);
  });

  test('a hanging server: timeout, and the request is cancelled', async () => {
    const engine = await loaded({ timeoutMs: 200 });
    mock.script({ hang: true });
    const started = Date.now();
    const error = await failure(engine.complete(messages, greedy));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 0.2 s/);
    expect(Date.now() - started).toBeLessThan(2000);
    await until(() => mock.stats().aborted === 1);
  });

  test('a stream that stalls between chunks: timeout', async () => {
    const engine = await loaded({ timeoutMs: 150 });
    mock.script({ fallback: 'a b c d', chunkDelayMs: 600 });
    const deltas: string[] = [];
    const error = await failure(
      engine.complete(messages, { ...greedy, onDelta: (d) => deltas.push(d) }),
    );
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/no reply for 0.2 s/);
    expect(deltas).toEqual(['a ']);
  });

  test('a garbled line: bad-response, after the pieces before it', async () => {
    mock.script({ fallback: 'one two three four five six', garble: true, chunkDelayMs: 20 });
    const engine = await loaded();
    const deltas: string[] = [];
    const error = await failure(
      engine.complete(messages, { ...greedy, onDelta: (d) => deltas.push(d) }),
    );
    expect(error.code).toBe('bad-response');
    expect(error.message).toMatch(/not JSON/);
    expect(deltas).toEqual(['one ', 'two ', 'three ']);
    // The client cancelled the rest of the stream.
    await until(() => mock.stats().aborted === 1);
  });

  test('a server that went away: network', async () => {
    const other = await startMockOpenAI();
    const engine = new OpenAIEngine({ baseUrl: other.baseUrl, model: 'mock-math' });
    await engine.load();
    await other.close();
    const error = await failure(engine.complete(messages, greedy));
    expect(error.code).toBe('network');
    expect(error.message).toContain(other.origin);
  });

  test('complete before load is refused', async () => {
    const engine = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math' });
    const error = await failure(engine.complete(messages, greedy));
    expect(error.message).toMatch(/Connect to the server/);
  });

  test('unload stops streams in flight with aborted', async () => {
    mock.script({ fallback: long, chunkDelayMs: 10 });
    const engine = await loaded();
    const deltas: string[] = [];
    const pending = failure(
      engine.complete(messages, { ...greedy, onDelta: (d) => deltas.push(d) }),
    );
    await until(() => deltas.length >= 2);
    await engine.unload();
    expect((await pending).code).toBe('aborted');
    await expect(engine.complete(messages, greedy)).rejects.toThrow(/Connect to the server/);
    await engine.load();
    expect((await engine.complete(messages, { ...greedy, max_tokens: 3 })).text).toBe(
      'step0 step1 step2 ',
    );
  });
});

describe('concurrency', () => {
  test('several completions run at once', async () => {
    mock.script({ fallback: 'one two three four five', chunkDelayMs: 20 });
    const engine = await loaded();
    const results = await Promise.all([1, 2, 3, 4].map(() => engine.complete(messages, greedy)));
    expect(results.every((r) => r.text === 'one two three four five')).toBe(true);
    expect(mock.stats().maxInFlight).toBeGreaterThan(1);
    expect(mock.stats().maxInFlight).toBeLessThanOrEqual(4);
  });

  test('no more than `concurrency` at once; the rest wait their turn', async () => {
    mock.script({ fallback: 'one two three', chunkDelayMs: 20 });
    const engine = await loaded({ concurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => engine.complete(messages, greedy)));
    expect(results).toHaveLength(5);
    expect(mock.stats().maxInFlight).toBe(2);
    expect(mock.stats().requests).toHaveLength(5);
  });

  test('a completion aborted while waiting for a slot never reaches the server', async () => {
    mock.script({ fallback: 'one two three', chunkDelayMs: 30 });
    const engine = await loaded({ concurrency: 1 });
    const controller = new AbortController();
    const first = engine.complete(messages, greedy);
    const second = failure(engine.complete(messages, { ...greedy, signal: controller.signal }));
    controller.abort();
    expect((await second).code).toBe('aborted');
    expect((await first).text).toBe('one two three');
    expect(mock.stats().requests).toHaveLength(1);
  });
});
