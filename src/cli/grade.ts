// `npm run -s grade -- [--programs] FILE.jsonl`: grades model outputs against gold answers, one
// JSON line each; with --programs, each output's program is run in the Node sandbox first.
// A malformed line is reported on stderr by number and skipped (exit 1); no file or no argument exits 2.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runReply } from '../lib/program/answer';
import { createNodeRunner, type NodeRunner } from '../lib/program/node-runner';
import { answersEqual, normalizeAnswer } from '../lib/solver/equal';
import { extractAnswer } from '../lib/solver/extract';
import { defaultStopRule, ruleName, voteUntilStop } from '../lib/solver/stop';
import { histogram } from '../lib/solver/vote';

const usage = `Usage: npm run -s grade -- [--programs] FILE.jsonl

Each line of FILE is one of
  {"id": ..., "output": "<solution text>", "gold": "<answer>"}
  {"id": ..., "outputs": ["<solution>", ...], "gold": "<answer>"}
with an optional "question": "<the word problem>", read as the page reads it: a number the
question states is not a closing sentence's result when the sentence has another ("So she
earned $42 for the 6 hours." gives 42, not 6), "What time…" is answered with the hour, and a sentence that converts gives the
unit asked for ("72 months, which is 6 years" gives 6 for "How many years…"). Each line
gets one line on stdout:
  {"id", "answer", "correct"}
  {"id", "majority", "correct", "samples_used", "votes"}
where an "outputs" line is voted in order with the default stopping rule (${ruleName(defaultStopRule)}):
samples_used is how many outputs it read before stopping, and majority, correct and votes
(answer -> count) describe the vote at that point. A summary goes to stderr.
With --programs, every line has one "output": a reply holding a Python program (fenced or
bare), which runs in the same sandbox as the page's (standard library only, 5 s, 512 MiB,
1 MiB of output), and the answer is what solution() returns, else the last number it prints:
  {"id", "answer", "correct"}, plus "error" and "message" when there is no answer
where "error" is no-program, exception, timeout, memory, output, crashed or no-number.
Exit code: 0 when every line was graded, 1 when some lines were malformed (they are skipped
and named on stderr), 2 when the file cannot be read (or, with --programs, Python cannot start).`;

/** One input line, checked. */
type Item = { id: string | number; gold: string; question?: string } & (
  { output: string } | { outputs: string[] }
);

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The item on a line, or the reason it is malformed. */
function parseLine(line: string): Item | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(data)) return `expected a JSON object, got ${describe(data)}`;
  const record = data;
  const { id, gold, output, outputs, question } = record;
  if (!('id' in record)) return 'missing "id"';
  if (typeof id !== 'string' && typeof id !== 'number') {
    return `"id" must be a string or a number, got ${describe(id)}`;
  }
  if (!('gold' in record)) return 'missing "gold"';
  if (typeof gold !== 'string' && typeof gold !== 'number') {
    return `"gold" must be a string or a number, got ${describe(gold)}`;
  }
  if (normalizeAnswer(String(gold)) === null)
    return `"gold" has no number: ${JSON.stringify(gold)}`;
  if (question !== undefined && typeof question !== 'string') {
    return `"question" must be a string, got ${describe(question)}`;
  }
  const known = { id, gold: String(gold), ...(question === undefined ? {} : { question }) };
  if ('output' in record && 'outputs' in record) return 'has both "output" and "outputs"';
  if (typeof output === 'string') return { ...known, output };
  if ('output' in record) return `"output" must be a string, got ${describe(output)}`;
  if (!('outputs' in record)) return 'missing "output" or "outputs"';
  if (!Array.isArray(outputs) || outputs.length === 0) {
    return `"outputs" must be a non-empty array of strings, got ${describe(outputs)}`;
  }
  const texts: string[] = [];
  for (const [i, text] of outputs.entries()) {
    if (typeof text !== 'string') return `"outputs"[${i}] must be a string, got ${describe(text)}`;
    texts.push(text);
  }
  return { ...known, outputs: texts };
}

interface Totals {
  lines: number;
  /** --programs: lines whose program gave no answer, by error */
  errors: Record<string, number>;
  correct: number;
  malformed: number;
  ensembles: number;
  samplesUsed: number;
  samplesGiven: number;
}

/** The output line for one program reply; adds to the totals. */
async function gradeProgram(
  item: Item,
  runner: NodeRunner,
  totals: Totals,
): Promise<Record<string, unknown>> {
  totals.lines += 1;
  if (!('output' in item)) throw new Error('gradeProgram takes single outputs only');
  const result = await runReply(item.output, runner, { question: item.question });
  const correct = answersEqual(result.answer, item.gold);
  if (correct) totals.correct += 1;
  if (result.error === null) return { id: item.id, answer: result.answer, correct };
  totals.errors[result.error.kind] = (totals.errors[result.error.kind] ?? 0) + 1;
  return {
    id: item.id,
    answer: null,
    correct,
    error: result.error.kind,
    message: result.error.message,
  };
}

/** The output line for one item; adds to the totals. */
function grade(item: Item, totals: Totals): Record<string, unknown> {
  totals.lines += 1;
  if ('output' in item) {
    const answer = extractAnswer(item.output, item.question);
    const correct = answersEqual(answer, item.gold);
    if (correct) totals.correct += 1;
    return { id: item.id, answer, correct };
  }
  const answers = item.outputs.map((output) => extractAnswer(output, item.question));
  const { used, vote } = voteUntilStop(defaultStopRule, answers);
  const correct = answersEqual(vote.winner, item.gold);
  if (correct) totals.correct += 1;
  totals.ensembles += 1;
  totals.samplesUsed += used;
  totals.samplesGiven += item.outputs.length;
  return {
    id: item.id,
    majority: vote.winner,
    correct,
    samples_used: used,
    votes: histogram(vote),
  };
}

function summary(totals: Totals): string {
  const accuracy = totals.lines > 0 ? ((100 * totals.correct) / totals.lines).toFixed(1) : '0.0';
  const parts = [`graded ${totals.lines} lines: ${totals.correct} correct (${accuracy}%)`];
  if (totals.ensembles > 0) {
    const mean = (n: number): string => (n / totals.ensembles).toFixed(2);
    parts.push(
      `${totals.ensembles} voted with ${ruleName(defaultStopRule)}: ${mean(totals.samplesUsed)} ` +
        `samples used of ${mean(totals.samplesGiven)} given on average`,
    );
  }
  const errors = Object.entries(totals.errors).map(([kind, n]) => `${n} ${kind}`);
  if (errors.length > 0) parts.push(`no answer: ${errors.join(', ')}`);
  if (totals.malformed > 0) parts.push(`${totals.malformed} malformed lines skipped`);
  return parts.join('; ');
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;

async function main(argv: string[]): Promise<number> {
  const programs = argv.includes('--programs');
  const args = argv.filter((arg) => arg !== '--programs');
  if (args.length > 1) {
    console.error(`Expected one input file, got ${args.length}: ${args.join(' ')}\n\n${usage}`);
    return 2;
  }
  const [file] = args;
  if (file === undefined || file === '--help' || file === '-h') {
    console.error(file === undefined ? `No input file given.\n\n${usage}` : usage);
    return file === undefined ? 2 : 0;
  }
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    console.error(`Cannot read ${file}: no such file (or it is a directory).\n\n${usage}`);
    return 2;
  }
  const totals: Totals = {
    lines: 0,
    errors: {},
    correct: 0,
    malformed: 0,
    ensembles: 0,
    samplesUsed: 0,
    samplesGiven: 0,
  };
  const runner = programs ? createNodeRunner() : null;
  // Python is started before the first line, so a sandbox that cannot start stops the run once
  // instead of failing every line
  try {
    await runner?.warm();
  } catch (error) {
    runner?.close();
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  // opened after the await: lines read before the loop starts would be lost
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      const parsed = parseLine(line);
      const item =
        runner !== null && typeof parsed !== 'string' && !('output' in parsed)
          ? 'with --programs, each line needs one "output" (a reply holding a program), not "outputs"'
          : parsed;
      if (typeof item === 'string') {
        totals.malformed += 1;
        console.error(`${file}:${number}: ${item}`);
        continue;
      }
      const graded = runner ? await gradeProgram(item, runner, totals) : grade(item, totals);
      console.log(JSON.stringify(graded));
    }
  } catch (error) {
    console.error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    runner?.close();
  }
  console.error(summary(totals));
  if (runner) {
    const sandbox = runner.memory();
    console.error(
      `peak memory: grade ${mib(process.resourceUsage().maxRSS * 1024)}` +
        (sandbox ? `, sandbox ${mib(sandbox.peak)} (${runner.starts} started)` : ''),
    );
  }
  return totals.malformed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
