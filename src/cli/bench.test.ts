import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { problemsText, setFiles } from '../../tests/data/problems';
import { startMockOpenAI, type MockOpenAI } from '../../tests/fixtures/mock-openai';
import { startModelServer, type ModelServer } from '../../tests/fixtures/model-server';
import { parseCsv } from '../lib/bench/csv';
import { csvColumns, type BenchExport } from '../lib/bench/export';
import { wilson } from '../lib/bench/stats';

const root = new URL('../..', import.meta.url).pathname;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Problem {
  question: string;
  gold: number;
}

/**
 * Starts the real CLI as `npx tsx src/cli/bench.ts` would, minus npm: npm re-raises a SIGINT on
 * itself, which would hide the CLI's own exit code. Its own process group, as a shell gives it,
 * so a Ctrl-C (SIGINT to the group) reaches tsx and the script alike.
 */
function start(args: string[], env: Record<string, string> = {}) {
  // as `npm run bench` runs it: one Node process with tsx as its loader (tsx's own command would put
  // a parent in between that SIGKILLs the run when it does not answer a relayed Ctrl-C in 30 ms)
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bench.ts', ...args], {
    cwd: root,
    detached: true,
    env: { ...process.env, TALLY_API_KEY: '', FORCE_COLOR: '0', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) => {
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  return { child, exit, stderr: () => stderr };
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return start(args, env).exit;
}

let mock: MockOpenAI;
let dir: string;

const problems: Problem[] = Array.from({ length: 30 }, (_, i) => ({
  question: `Item Q${String(i + 1).padStart(2, '0')}: a crate holds ${i + 3} boxes of 12 pencils. How many pencils?`,
  gold: (i + 3) * 12,
}));
const right = (p: Problem) =>
  `There are ${p.gold / 12} * 12 = ${p.gold} pencils. The answer is \\boxed{${p.gold}}.`;
const wrong = (p: Problem) =>
  `There are ${p.gold / 12} + 12 pencils. The answer is \\boxed{${p.gold / 12 + 12}}.`;

/** GSM8K lines for the first `n` problems, with thousands commas on golds over 999. */
function gsm8k(n: number): string[] {
  return problems.slice(0, n).map((p) =>
    JSON.stringify({
      question: p.question,
      answer: `Work.\n#### ${p.gold.toLocaleString('en-US')}`,
    }),
  );
}

async function data(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.join('\n') + '\n');
  return path;
}

function connect(...more: string[]): string[] {
  return [
    '--engine',
    'openai',
    '--base-url',
    mock.origin,
    '--model',
    'mock-math',
    '--family',
    'generic',
    ...more,
  ];
}

async function exported(path: string): Promise<BenchExport> {
  return JSON.parse(await readFile(path, 'utf8')) as BenchExport;
}

/** The self-verifier's question (src/lib/solver/verify.ts): its requests quote a solution. */
const verifying = 'Is the proposed solution correct?';

/** Requests for solutions, over the mock's stats so far: the verifier's are left out. */
function solving() {
  return mock.stats().requests.filter((r) => !r.messages.at(-1)?.content.includes(verifying));
}

/** Solution requests per problem (by its question), over the mock's stats so far. */
function asked(): number[] {
  const counts = problems.map(() => 0);
  for (const request of solving()) {
    const text = request.messages.at(-1)?.content ?? '';
    const i = problems.findIndex((p) => text.includes(p.question));
    if (i >= 0) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  mock = await startMockOpenAI();
  dir = await mkdtemp(join(tmpdir(), 'tally-bench-cli-'));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.reset();
});

describe('npm run bench against the mock server', () => {
  it('reports exactly the scripted accuracy for single and ensemble modes', async () => {
    // 10 problems: 1-6 always right, 7-8 always wrong, 9-10 wrong once then right twice, so a
    // single call (asked first) is wrong and a 3-sample vote is right. Two malformed lines too.
    const lines = gsm8k(10);
    lines.splice(3, 0, '{"question": "broken",');
    lines.splice(8, 0, '{"question": "no gold here"}');
    const file = await data('mixed.jsonl', lines);
    mock.script({
      replies: problems.slice(0, 10).map((p, i) => ({
        match: p.question,
        outputs: i < 6 ? [right(p)] : i < 8 ? [wrong(p)] : [wrong(p), right(p), right(p)],
      })),
    });
    const out = join(dir, 'mixed.json');
    const run = await cli(
      connect('--data', file, '--k', '3', '--stop', 'fixed', '--concurrency', '1', '--out', out),
    );
    expect(run.stderr).toContain('Skipped 2 malformed lines');
    expect(run.stderr).toMatch(/line 4: not valid JSON/);
    expect(run.stderr).toMatch(/line 9: no "answer"/);
    expect(run.code).toBe(0);

    const result = await exported(out);
    const [single, ensemble] = result.summary;
    expect(single).toMatchObject({
      mode: 'single',
      n: 10,
      correct: 6,
      accuracy: 0.6,
      meanSamples: 1,
    });
    expect(ensemble).toMatchObject({
      mode: 'ensemble-k3-fixed',
      n: 10,
      correct: 8,
      accuracy: 0.8,
      meanSamples: 3,
    });
    expect(single?.ci?.low).toBeCloseTo(wilson(6, 10).low, 12);
    expect(ensemble?.ci?.high).toBeCloseTo(wilson(8, 10).high, 12);
    expect(result.results.filter((r) => r.mode === 'single').map((r) => r.correct)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i < 6),
    );
    // the line numbers are the file's, malformed lines included
    expect(result.results.map((r) => r.line).filter((_, i) => i % 2 === 0)).toEqual([
      1, 2, 3, 5, 6, 7, 8, 10, 11, 12,
    ]);
    // the answer check is off unless asked for: no call but the solutions
    expect(solving()).toHaveLength(10 + 30);
    expect(mock.stats().requests).toHaveLength(10 + 30);
    expect(run.stdout).toMatch(/single\s+10\s+6\s+60\.0%/);
    expect(run.stdout).toMatch(/ensemble-k3-fixed\s+10\s+8\s+80\.0%/);

    // calibration: problems 1-8 all agree (6 right), 9-10 the single call and the vote differ
    // and the vote is right; the vote was unanimous on 1-8 and 2 of 3 on 9-10
    expect(result.calibration.byAgreement).toEqual([
      { pattern: 'single=vote', n: 8, correct: 6, accuracy: 0.75, ci: wilson(6, 8) },
      { pattern: 'single≠vote', n: 2, correct: 2, accuracy: 1, ci: wilson(2, 2) },
    ]);
    expect(
      result.calibration.byVoteShare.map((g) => [g.from, g.to, g.n, g.correct, g.accuracy]),
    ).toEqual([
      [1, 1, 8, 6, 0.75],
      [0.8, 1, 0, 0, null],
      [0.6, 0.8, 2, 2, 1],
      [0, 0.6, 0, 0, null],
    ]);
    expect(run.stdout).toMatch(/How often the answer was right, by kind of answer:/);
    expect(run.stdout).toMatch(/\nthe single call and the vote agreed\s+8\s+6\s+75\.0%/);
    expect(run.stdout).toMatch(/\nthe single call and the vote differed\s+2\s+2\s+100\.0%/);
    expect(run.stdout).toMatch(/\n60–79% of samples agreed\s+2\s+2\s+100\.0%/);
    expect(run.stdout).toMatch(/\n80–99% of samples agreed\s+0\s+0\s+-\s+-\n/);
  });

  it('compares single, program and ensemble on the same problems, with program errors', async () => {
    // Each reply holds a program and a prose answer. Problems 1-4: the program is right and the
    // prose one more (wrong); 5: the program raises, the prose is right; 6: no program at all.
    const file = await data('programs.jsonl', gsm8k(6));
    const program = (body: string) => `\`\`\`python\ndef solution():\n    ${body}\n\`\`\``;
    mock.script({
      replies: problems.slice(0, 6).map((p, i) => ({
        match: p.question,
        outputs: [
          i < 4
            ? `${program(`boxes = ${p.gold / 12}\n    return boxes * 12`)}\nThe answer is \\boxed{${p.gold + 1}}.`
            : i === 4
              ? `${program('return 1 / 0')}\nThe answer is \\boxed{${p.gold}}.`
              : right(p),
        ],
      })),
    });
    const out = join(dir, 'programs.csv');
    const run = await cli(
      connect(
        '--data',
        file,
        '--modes',
        'single,program,ensemble',
        '--k',
        '2',
        '--stop',
        'fixed',
        '--out',
        out,
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/single\s+6\s+2\s+33\.3%\s+9\.7%–70\.0%.*\s-\n/);
    expect(run.stdout).toMatch(
      /program\s+6\s+4\s+66\.7%\s+30\.0%–90\.3%.*\sexception 1, no-program 1\n/,
    );
    expect(run.stdout).toMatch(/ensemble-k2-fixed\s+6\s+2\s+33\.3%/);
    const rows = parseCsv(await readFile(out, 'utf8'));
    const at = (name: (typeof csvColumns)[number]) => csvColumns.indexOf(name);
    const programs = rows.slice(1).filter((r) => r[at('mode')] === 'program');
    expect(programs.map((r) => [r[at('correct')], r[at('program_error')]])).toEqual([
      ['1', ''],
      ['1', ''],
      ['1', ''],
      ['1', ''],
      ['0', 'exception'],
      ['0', 'no-program'],
    ]);
    // one program call per problem, asked with the program prompt
    const asking = solving().filter((r) => r.messages.at(-1)?.content.includes('solution()'));
    expect(asking).toHaveLength(6);
    expect(asking.every((r) => r.temperature === 0)).toBe(true);
  });

  it('shows every aggregation of the same samples, with its accuracy and tokens, and exports the scores', async () => {
    // Problems 1-2: two unsure samples are wrong, one sure sample is right, and the verifier
    // says yes only to the right one; problems 3-4: every sample is right and sure.
    const file = await data('aggregations.jsonl', gsm8k(4));
    const sure = [-0.02, -5, -6, -7, -8];
    const unsure = [-0.9, -1.1, -1.3, -1.5, -1.7];
    mock.script({
      replies: [
        {
          match: '+ 12 pencils',
          outputs: [{ text: 'No', logprobs: [-0.1, -2.4], alternatives: ['Yes'] }],
        },
        {
          match: '* 12 =',
          outputs: [{ text: 'Yes', logprobs: [-0.1, -2.4], alternatives: ['No'] }],
        },
        ...problems.slice(0, 4).map((p, i) => ({
          match: p.question,
          outputs:
            i < 2
              ? [
                  { text: wrong(p), logprobs: unsure },
                  { text: right(p), logprobs: sure },
                  { text: wrong(p), logprobs: unsure },
                ]
              : [{ text: right(p), logprobs: sure }],
        })),
      ],
    });
    const out = join(dir, 'aggregations.csv');
    const run = await cli(
      connect(
        '--data',
        file,
        '--modes',
        'ensemble',
        '--k',
        '3',
        '--stop',
        'fixed',
        '--verify',
        '--out',
        out,
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    // the ensemble's own answer is the confidence-weighted one; the rows under it, each
    // aggregation's (the verifier's tokens count towards the verifier and best-of-n alone)
    const perProblem = (name: string) =>
      Number(new RegExp(`\\n  ${name}\\s.*\\s(\\d+\\.\\d)\\n`).exec(run.stdout + '\n')?.[1]);
    expect(run.stdout).toMatch(/\nensemble-k3-fixed-check\s+4\s+4\s+100\.0%/);
    expect(run.stdout).toMatch(/\n {2}majority\s+4\s+2\s+50\.0%\s+15\.0%–85\.0%\s/);
    expect(run.stdout).toMatch(/\n {2}confidence\s+4\s+4\s+100\.0%\s+51\.0%–100\.0%\s/);
    expect(run.stdout).toMatch(/\n {2}verifier\s+4\s+4\s+100\.0%\s+51\.0%–100\.0%\s/);
    expect(run.stdout).toMatch(/\n {2}best-of-n\s+4\s+4\s+100\.0%\s+51\.0%–100\.0%\s/);
    expect(perProblem('majority')).toBe(perProblem('confidence'));
    expect(perProblem('verifier')).toBe(perProblem('best-of-n'));
    expect(perProblem('verifier')).toBeGreaterThan(perProblem('majority'));
    // one verification per distinct answer: two on problems 1-2, one on 3-4
    expect(mock.stats().requests.length - solving().length).toBe(6);

    const rows = parseCsv(await readFile(out, 'utf8'));
    const at = (name: (typeof csvColumns)[number]) => csvColumns.indexOf(name);
    expect(
      rows
        .slice(1)
        .map((r) => [
          r[at('majority_answer')],
          r[at('confidence_answer')],
          r[at('verifier_answer')],
          r[at('best_of_n_answer')],
        ]),
    ).toEqual([
      ['15', '36', '36', '36'],
      ['16', '48', '48', '48'],
      ['60', '60', '60', '60'],
      ['72', '72', '72', '72'],
    ]);
    // each sample's confidence (of the model's own distribution over its top 5, renormalised:
    // 1.6491 for the unsure replies, 5.1946 for the sure one) beside its verifier score; which
    // sample got which reply depends on the order the requests reached the server
    const confidences = rows[1]?.[at('confidences')]?.split(';') ?? [];
    const scores = rows[1]?.[at('verifier_scores')]?.split(';') ?? [];
    expect(confidences.map((c, i) => [c, scores[i]]).sort()).toEqual([
      ['1.6491', ''],
      ['1.6491', '0.0911'],
      ['5.1946', '0.9089'],
    ]);
  });

  it('with the answer check against a server that gives no yes or no: one sentence, no 0.0%', async () => {
    const file = await data('no-verdict.jsonl', gsm8k(3));
    mock.script({
      replies: [
        // the check quotes a solution; listed first, it wins: a reply with no yes or no in it
        {
          match: verifying,
          outputs: [{ text: 'Maybe', logprobs: [-0.1, -2.4], alternatives: ['Perhaps'] }],
        },
        ...problems.slice(0, 3).map((p) => ({ match: p.question, outputs: [right(p)] })),
      ],
    });
    const noZero = /(?<![\d.])0\.0%/;
    for (const out of [join(dir, 'no-verdict-a.json'), join(dir, 'no-verdict-b.csv')]) {
      const flags = ['--data', file, '--modes', 'single,ensemble', '--k', '2', '--stop', 'fixed'];
      const run = await cli(connect(...flags, '--verify', '--out', out));
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        'ensemble-k2-fixed-check: Left out: weighed by the answer check and best-checked sample, because no answer was checked',
      );
      expect(run.stdout).not.toMatch(/\n {2}(verifier|best-of-n)\s/);
      expect(run.stdout).not.toMatch(noZero);
      const text = await readFile(out, 'utf8');
      expect(text).not.toMatch(noZero);
      if (out.endsWith('.json')) {
        const [, ensemble] = (JSON.parse(text) as BenchExport).summary;
        expect(ensemble?.aggregations.map((a) => a.name)).toEqual(['majority', 'confidence']);
        expect(ensemble?.leftOut).toEqual(['verifier', 'best-of-n']);
      }
    }
  });

  it('stops an ensemble early by its rule and counts the samples used', async () => {
    const file = await data('esc.jsonl', gsm8k(6));
    mock.script({
      replies: problems.slice(0, 6).map((p) => ({ match: p.question, outputs: [right(p)] })),
    });
    const out = join(dir, 'esc.json');
    const run = await cli(
      connect(
        '--data',
        file,
        '--modes',
        'ensemble',
        '--k',
        '5',
        '--stop',
        'esc',
        '--esc-window',
        '2',
        '--concurrency',
        '1',
        '--out',
        out,
      ),
    );
    expect(run.code).toBe(0);
    const [ensemble] = (await exported(out)).summary;
    expect(ensemble).toMatchObject({
      mode: 'ensemble-k5-esc(2)',
      n: 6,
      correct: 6,
      meanSamples: 2,
    });
    expect(asked().slice(0, 6)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('runs problems concurrently up to --concurrency, with the same accuracy', async () => {
    const file = await data('concurrent.jsonl', gsm8k(12));
    mock.script({
      chunkDelayMs: 20,
      replies: problems
        .slice(0, 12)
        .map((p, i) => ({ match: p.question, outputs: [i % 3 === 0 ? wrong(p) : right(p)] })),
    });
    const out = join(dir, 'concurrent.csv');
    const run = await cli(connect('--data', file, '--concurrency', '4', '--out', out));
    expect(run.code).toBe(0);
    const stats = mock.stats();
    expect(stats.maxInFlight).toBeGreaterThan(1);
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(stats.requests).toHaveLength(12);
    // the CSV export parses back: a header and one row per problem, 8 of 12 correct
    const rows = parseCsv(await readFile(out, 'utf8'));
    expect(rows[0]).toEqual([...csvColumns]);
    const correct = csvColumns.indexOf('correct');
    const question = csvColumns.indexOf('question');
    expect(rows.slice(1)).toHaveLength(12);
    expect(rows.slice(1).filter((r) => r[correct] === '1')).toHaveLength(8);
    expect(rows.slice(1).map((r) => r[question])).toEqual(
      problems.slice(0, 12).map((p) => p.question),
    );
    expect(run.stdout).toMatch(/single\s+12\s+8\s+66\.7%/);
  });

  it('samples problems with a seed: the same sample twice, another with another seed', async () => {
    const file = await data('sample.jsonl', gsm8k(30));
    const picked = async (seed: string, name: string) => {
      const out = join(dir, name);
      const run = await cli(
        connect('--data', file, '--sample', 'random', '--limit', '5', '--seed', seed, '--out', out),
      );
      expect(run.code).toBe(0);
      return (await exported(out)).results.map((r) => r.line);
    };
    const a = await picked('7', 'seed-a.json');
    const b = await picked('7', 'seed-b.json');
    const c = await picked('8', 'seed-c.json');
    expect(a).toHaveLength(5);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('explains a bad URL, an unknown model, missing data and flags, and refuses to overwrite progress', async () => {
    const file = await data('few.jsonl', gsm8k(2));
    const badUrl = await cli([
      '--engine',
      'openai',
      '--base-url',
      'ftp://example.com',
      '--model',
      'm',
      '--data',
      file,
    ]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/http:\/\/ or https:\/\//);

    const unknown = await cli([
      '--engine',
      'openai',
      '--base-url',
      mock.origin,
      '--model',
      'nope',
      '--data',
      file,
      '--out',
      join(dir, 'u.json'),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/has no model "nope"/);
    expect(unknown.stderr).toContain('mock-math');

    const missing = await cli(connect('--data', join(dir, 'absent.jsonl')));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read --data/);

    const rule = await cli(connect('--data', file, '--k', '3', '--stop', 'vote'));
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/--stop must be beta, esc or fixed, not "vote"\./);
    // out of range is refused, never clamped
    const k = await cli(connect('--data', file, '--k', '500'));
    expect(k.code).toBe(2);
    expect(k.stderr).toContain('--k must be a whole number from 1 to 40, not "500".');
    const temperature = await cli(connect('--data', file, '--k', '3', '--temperature=-3'));
    expect(temperature.code).toBe(2);
    expect(temperature.stderr).toContain('--temperature must be a number from 0 to 2, not "-3".');

    const webllm = await cli(['--engine', 'webllm', '--data', file]);
    expect(webllm.code).toBe(2);
    expect(webllm.stderr).toMatch(/browser/);

    const out = join(dir, 'twice.json');
    expect((await cli(connect('--data', file, '--out', out))).code).toBe(0);
    const again = await cli(connect('--data', file, '--out', out));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--resume to continue it, or --force/);
    const other = await cli(connect('--data', file, '--out', out, '--resume', '--k', '3'));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      'The saved run differs in --modes (saved single, now single,ensemble).',
    );
    expect((await cli(connect('--data', file, '--out', out, '--force'))).code).toBe(0);

    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/exit codes/);
  });

  it('keeps finished results on Ctrl-C and resumes without asking for them again', async () => {
    const file = await data('long.jsonl', gsm8k(30));
    mock.script({
      chunkDelayMs: 25,
      replies: problems.map((p, i) => ({
        match: p.question,
        outputs: [i % 5 === 0 ? wrong(p) : right(p)],
      })),
    });
    const out = join(dir, 'long.json');
    const progress = join(dir, 'long.progress.jsonl');
    const first = start(connect('--data', file, '--concurrency', '2', '--out', out));
    const lines = async () =>
      (await readFile(progress, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l.startsWith('{"type":"result"'));
    await expect.poll(lines, { timeout: 30_000, interval: 100 }).toHaveLength(6);
    // Ctrl-C: SIGINT to the whole process group, as a terminal sends it
    process.kill(-(first.child.pid ?? 0), 'SIGINT');
    const stopped = await first.exit;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/--resume/);

    const kept = (await lines()).length;
    expect(kept).toBeGreaterThanOrEqual(6);
    expect(kept).toBeLessThan(30);
    const partial = await exported(out);
    expect(partial.results).toHaveLength(kept);
    const finished = new Set(partial.results.map((r) => r.line));
    const before = asked();

    mock.reset();
    mock.script({
      replies: problems.map((p, i) => ({
        match: p.question,
        outputs: [i % 5 === 0 ? wrong(p) : right(p)],
      })),
    });
    const resumed = await cli(
      connect('--data', file, '--concurrency', '2', '--out', out, '--resume'),
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming with ${kept} of 30 finished`);
    const after = asked();
    // finished problems were not asked again; every other problem was asked once
    problems.forEach((_, i) => {
      expect(after[i]).toBe(finished.has(i + 1) ? 0 : 1);
    });
    expect(before.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(kept);
    const total = await exported(out);
    expect(total.results).toHaveLength(30);
    expect(total.summary[0]).toMatchObject({ n: 30, correct: 24, accuracy: 0.8 });
    expect(new Set(total.results.map((r) => r.problemId)).size).toBe(30);

    // nothing left: a second resume asks nothing
    mock.reset();
    const idle = await cli(connect('--data', file, '--out', out, '--resume'));
    expect(idle.code).toBe(0);
    expect(mock.stats().requests).toHaveLength(0);
  });
}, 120_000);

describe('npm run bench -- --data gsm8k: the published set, downloaded once and checked', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer();
  });
  afterAll(async () => {
    await server.close();
  });

  // The fixture server stands in for GitHub, serving Tally's problem set; the URL states that
  // file's digest and lines, as TALLY_GSM8K_URL lets a mirror of another file do.
  const sha256 = createHash('sha256').update(problemsText).digest('hex');
  const source = (query = '') =>
    `${server.origin}/data/problems.jsonl${query}#sha256=${sha256}&records=36`;
  const run = (name: string, cache: string, url: string) =>
    cli(connect('--data', 'gsm8k', '--limit', '2', '--out', join(dir, `${name}.json`)), {
      TALLY_CACHE_DIR: cache,
      TALLY_GSM8K_URL: url,
    });
  const kept = (cache: string) => readdir(join(cache, 'data')).catch(() => []);

  it('shows the download, keeps it, and runs from the kept copy with the host gone', async () => {
    const cache = join(dir, 'cache-ok');
    const first = await run('dl', cache, source('?throttle=4000'));
    expect(first.code, first.stderr).toBe(0);
    // a line at each tenth of the way when stderr is not a terminal
    const steps = first.stderr.match(/Downloading GSM8K test from 127\.0\.0\.1:\d+: .*\(\d+%\)/g);
    expect(steps?.length).toBeGreaterThanOrEqual(4);
    expect(steps?.at(-1)).toMatch(/8 KB of 8 KB \(100%\)/);
    expect(first.stderr).toContain(
      `GSM8K test: downloaded and checked (36 records, sha256 ${sha256.slice(0, 12)}…), kept in`,
    );
    expect(first.stdout).toMatch(/GSM8K test · 2 of 2 problems finished\n/);
    const files = await kept(cache);
    expect(files).toHaveLength(1);
    expect(await readFile(join(cache, 'data', files[0] ?? ''), 'utf8')).toBe(problemsText);

    // nothing listens on port 9 of loopback: only the kept copy can serve this run
    const offline = await run(
      'offline',
      cache,
      `http://127.0.0.1:9/test.jsonl#sha256=${sha256}&records=36`,
    );
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).not.toMatch(/Downloading/);
    expect(offline.stderr).toMatch(
      /GSM8K test: the copy in .*gsm8k-test-[0-9a-f]{16}\.jsonl \(checked/,
    );
    expect(offline.stdout).toMatch(/2 of 2 problems finished/);
  });

  it('refuses a truncated file, an altered one and a broken-off download, keeping none', async () => {
    const cache = join(dir, 'cache-bad');
    const truncated = await run('cut', cache, source('?cut=3000'));
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(
      /GSM8K test from .* is cut short: 15 of 36 problems\. Nothing of it was kept/,
    );

    const altered = await run('altered', cache, source('?corrupt=100'));
    expect(altered.code).toBe(2);
    expect(altered.stderr).toMatch(
      /is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}…/,
    );

    const dropped = await run('dropped', cache, source('?drop=5000'));
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toMatch(
      /The download of GSM8K test from .* broke off after 5 KB of 8 KB \(62%\): try again/,
    );

    const down = await run(
      'down',
      cache,
      `http://127.0.0.1:9/test.jsonl#sha256=${sha256}&records=36`,
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Could not reach 127\.0\.0\.1:9 to download GSM8K test/);
    expect(down.stderr).toContain(
      'To run without this download: --data FILE with a copy of the file you have, or set TALLY_GSM8K_URL',
    );

    // the published digest is the default: this file is not GSM8K's test split
    const mirror = await run('mirror', cache, `${server.origin}/data/problems.jsonl`);
    expect(mirror.code).toBe(2);
    expect(mirror.stderr).toMatch(/is cut short: 36 of 1,319 problems/);
    expect(await kept(cache)).toEqual([]);
    // the model was never asked
    expect(mock.stats().requests).toEqual([]);
  });

  // GSM-Hard's digest is not pinned: its URL here states only the count, as the published one
  // does, so the count and shape are what is checked. SVAMP's JSON array is checked by digest.
  it.each([
    [
      'gsm-hard',
      'TALLY_GSM_HARD_URL',
      'gsm-hard.jsonl',
      '#records=8',
      '8 records and their shape; no digest is pinned',
    ],
    [
      'svamp',
      'TALLY_SVAMP_URL',
      'svamp.json',
      `#sha256=${createHash('sha256').update(setFiles.svamp).digest('hex')}&records=6`,
      '6 records, sha256 ',
    ],
  ])(
    '--data %s downloads its set, converts it, and runs from the kept copy',
    async (set, env, file, fragment, checked) => {
      const cache = join(dir, `cache-${set}`);
      const runSet = (name: string, url: string) =>
        cli(connect('--data', set, '--limit', '2', '--out', join(dir, `${name}.json`)), {
          TALLY_CACHE_DIR: cache,
          [env]: url,
        });
      const first = await runSet(set, `${server.origin}/data/${file}${fragment}`);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(`downloaded and checked (${checked}`);
      const result = await exported(join(dir, `${set}.json`));
      expect(result.config.dataset).toBe(set === 'svamp' ? 'SVAMP' : 'GSM-Hard');
      expect(result.results.map((r) => [r.problemId, r.gold])).toEqual(
        set === 'svamp'
          ? [
              ['R1', '11'],
              ['R2', '18'],
            ]
          : [
              ['L1', '9634506'],
              ['L2', '8245968'],
            ],
      );
      // nothing listens on port 9 of loopback: only the kept copy can serve this run
      const offline = await runSet(`${set}-offline`, `http://127.0.0.1:9/${file}${fragment}`);
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stderr).toMatch(/the copy in .*\(checked/);
    },
  );
}, 120_000);
