// `npm run bench`: the benchmark runner from Node against an OpenAI-compatible server (vLLM, Ollama).
// Exits 0 done, 1 run failed, 2 bad usage or data, 3 some problems failed, 130 on Ctrl-C (results kept).
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError, isAbort } from '../lib/engine/errors';
import { counted } from '../lib/format';
import { OpenAIEngine, parseServerUrl } from '../lib/engine/openai-engine';
import {
  exitCodes,
  helpText,
  parseCliOptions,
  UsageError,
  type CliOptions,
} from '../lib/bench/cli-options';
import { fingerprint, parseDataset } from '../lib/bench/data';
import { DataError, progressText, publishedSet } from '../lib/bench/published';
import { loadPublished } from './published-cache';
import { createNodeRunner } from '../lib/program/node-runner';
import { modeId } from '../lib/bench/modes';
import { toCsv, toJson } from '../lib/bench/export';
import { FileStore } from '../lib/bench/file-store';
import { calibrate } from '../lib/bench/calibration';
import {
  calibrationTable,
  duration,
  finishedText,
  leftOutLines,
  progressLine,
  summaryTable,
} from '../lib/bench/report';
import { runBench, type RunOutcome } from '../lib/bench/runner';
import { resumeProblem } from '../lib/bench/schema';
import { selectProblems } from '../lib/bench/select';
import { summarize } from '../lib/bench/stats';
import { dedupe } from '../lib/bench/store';
import type { ProblemResult, RunConfig, RunHeader } from '../lib/bench/types';

type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

const err = (line: string) => {
  process.stderr.write(`${line}\n`);
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Redraws one status line on a terminal; elsewhere prints a line at each tenth of the way. */
class ProgressBar {
  readonly #tty = process.stderr.isTTY;
  #lastDraw = 0;
  #lastTenth = -1;

  show(text: string, fraction: number, force = false): void {
    if (this.#tty) {
      const now = Date.now();
      if (!force && now - this.#lastDraw < 100) return;
      this.#lastDraw = now;
      process.stderr.write(`\r\x1b[2K${text}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === this.#lastTenth && !force) return;
    this.#lastTenth = tenth;
    process.stderr.write(`${text}\n`);
  }

  end(): void {
    if (this.#tty) process.stderr.write('\n');
  }
}

/** The text of --data: the file, or the published data set from the cache or a download. */
async function readData(options: CliOptions, signal: AbortSignal): Promise<string> {
  const source = options.source;
  if (source === undefined) {
    try {
      return await readFile(options.data, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read --data ${options.data}: ${message(error)}`);
    }
  }
  const bar = new ProgressBar();
  const what = `Downloading ${source.name} from ${new URL(source.url).host}`;
  const env = publishedSet(options.data)?.env;
  try {
    const loaded = await loadPublished(
      source,
      options.cacheDir,
      (progress) => {
        const fraction = progress.total ? progress.received / progress.total : 0;
        bar.show(`${what}: ${progressText(progress)}`, fraction, progress.received === 0);
      },
      signal,
    );
    const checked =
      source.sha256 === null
        ? `${source.records} records and their shape; no digest is pinned`
        : `${source.records} records, sha256 ${source.sha256.slice(0, 12)}…`;
    err(
      loaded.cached
        ? `${source.name}: the copy in ${loaded.path} (checked: ${checked})`
        : `${source.name}: downloaded and checked (${checked}), kept in ${loaded.path} for offline use`,
    );
    if (loaded.notKept) err(loaded.notKept);
    return loaded.text;
  } catch (error) {
    if (!(error instanceof DataError) || env === undefined) throw error;
    throw new DataError(
      `${error.message}\nTo run without this download: --data FILE with a copy of the file you have, ` +
        `or set ${env} to a mirror (or to another file as URL#sha256=HEX&records=N).`,
    );
  } finally {
    bar.end();
  }
}

async function readProblems(options: CliOptions, signal: AbortSignal) {
  const text = await readData(options, signal);
  const dataset = parseDataset(text);
  if (dataset.skipped.length > 0) {
    const shown = dataset.skipped
      .slice(0, 10)
      .map((s) => `  ${dataset.unit} ${s.line}: ${s.reason}`)
      .join('\n');
    const more = dataset.skipped.length > 10 ? `\n  … and ${dataset.skipped.length - 10} more` : '';
    const what = counted(
      dataset.skipped.length,
      `malformed ${dataset.unit === 'line' ? 'line' : 'record'}`,
    );
    err(`Skipped ${what} in ${options.data}:\n${shown}${more}`);
  }
  if (dataset.problems.length === 0) {
    throw new UsageError(`${options.data} has no valid problems.`);
  }
  return dataset;
}

function outcomeCode(outcome: RunOutcome): ExitCode {
  switch (outcome.status) {
    case 'complete':
      return exitCodes.ok;
    case 'incomplete':
      return exitCodes.incomplete;
    case 'aborted':
      return exitCodes.interrupted;
    case 'failed':
      return exitCodes.failed;
  }
}

async function main(argv: string[]): Promise<ExitCode> {
  const options = parseCliOptions(argv, process.env);
  if (options === 'help') {
    process.stdout.write(`${helpText}\n`);
    return exitCodes.ok;
  }
  // Thrown as bad-input with a message saying what to type instead.
  const baseUrl = parseServerUrl(options.baseUrl).href;
  const stop = new AbortController();
  const dataset = await readProblems(options, stop.signal);
  const selection = {
    ...options.selection,
    limit: Math.min(options.selection.limit, dataset.problems.length),
  };
  const config: RunConfig = {
    dataset: options.source?.name ?? basename(options.data),
    fingerprint: fingerprint(dataset.problems),
    selection,
    modes: options.modes,
    sampling: options.sampling,
    family: options.family,
    model: `${options.model} on ${baseUrl}`,
  };

  const store = new FileStore(options.progress);
  const saved = await store.load().catch((error: unknown) => {
    throw new UsageError(`Cannot read ${options.progress}: ${message(error)}`);
  });
  let header: RunHeader;
  let done: ProblemResult[] = [];
  if (saved && options.resume) {
    const problem = resumeProblem(saved.header.config, config);
    if (problem) {
      throw new UsageError(
        `Cannot resume ${options.progress}: ${problem} Run with the flags it was started with, or use --force to start over.`,
      );
    }
    header = saved.header;
    done = saved.results;
    if (saved.unreadable > 0)
      err(`${counted(saved.unreadable, 'unreadable line')} in ${options.progress} will be redone.`);
  } else {
    if (saved && saved.results.length > 0 && !options.force) {
      throw new UsageError(
        `${options.progress} holds ${counted(saved.results.length, 'finished result')} of an earlier run. Add --resume to continue it, or --force to start over.`,
      );
    }
    header = {
      version: 1,
      config,
      problems: selectProblems(dataset.problems, selection),
      createdAt: Date.now(),
    };
  }
  const total = header.problems.length * header.config.modes.length;

  // One Ctrl-C can reach this process twice (the terminal signals the whole process group, and npm
  // relays it too): only a press more than a second after the first quits at once. `npm run bench`
  // runs this file in one process (`node --import tsx`): tsx's own command relays signals through
  // a parent that SIGKILLs the run when it does not answer within 30 ms, as on a busy machine.
  let firstInterrupt = 0;
  process.on('SIGINT', () => {
    const now = Date.now();
    if (firstInterrupt === 0) {
      firstInterrupt = now;
      stop.abort();
      err('\nStopping: finished results are saved (Ctrl-C again to quit at once).');
    } else if (now - firstInterrupt > 1000) {
      process.exit(exitCodes.interrupted);
    }
  });

  const engine = new OpenAIEngine({
    baseUrl,
    model: options.model,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    concurrency: options.concurrency,
  });
  try {
    await engine.load(undefined, stop.signal);
  } catch (error) {
    if (isAbort(error)) return exitCodes.interrupted;
    err(`bench: ${message(error)}`);
    return exitCodes.failed;
  }
  if (done.length === 0 && !(saved && options.resume)) await store.begin(header);
  err(
    `${config.model}: ${counted(header.problems.length, 'problem')} from ${config.dataset}` +
      `${selection.sample === 'random' ? ` (random sample, seed ${selection.seed})` : ''}, ` +
      `modes ${header.config.modes.map(modeId).join(', ')}, concurrency ${options.concurrency}` +
      (done.length > 0 ? `; resuming with ${done.length} of ${total} finished` : ''),
  );

  const results = [...done];
  const bar = new ProgressBar();
  const started = performance.now();
  let sessionDone = 0;
  let failed = 0;
  const draw = (force = false) => {
    const view = {
      done: results.length,
      total,
      failed,
      elapsed: (performance.now() - started) / 1000,
      sessionDone,
      summaries: summarize(header.config.modes, results),
    };
    bar.show(
      progressLine(view, process.stderr.columns || 100),
      total > 0 ? results.length / total : 1,
      force,
    );
  };
  draw(true);
  // Python starts in a child process only when a program mode is run, and stops with the run.
  const programs = header.config.modes.some((mode) => mode.kind === 'program')
    ? createNodeRunner()
    : undefined;
  const outcome = await runBench({
    engine,
    header,
    done,
    store,
    programs,
    concurrency: options.concurrency,
    signal: stop.signal,
    onResult: (result) => {
      results.push(result);
      sessionDone += 1;
      draw(results.length === total);
    },
    onFailure: (failure) => {
      failed += 1;
      if (process.stderr.isTTY) process.stderr.write('\n');
      err(`${failure.problemId} (${failure.mode}) failed: ${failure.error.message}`);
    },
  });
  bar.end();
  programs?.close();

  const run = { header, results: dedupe(results), unreadable: 0 };
  await writeFile(
    options.out,
    options.out.toLowerCase().endsWith('.csv') ? toCsv(run) : toJson(run),
  );
  const summaries = summarize(header.config.modes, run.results);
  const leftOut = leftOutLines(summaries);
  const seconds = outcome.elapsedMs / 1000;
  const tokens = run.results.reduce((sum, r) => sum + r.tokens, 0);
  process.stdout.write(
    `\n${config.model} · ${config.dataset} · ${finishedText(header.problems.length, header.config.modes.length, run.results)}\n\n` +
      `${summaryTable(summaries)}\n` +
      leftOut.map((line) => `${line}\n`).join('') +
      `\nHow often the answer was right, by kind of answer:\n\n` +
      `${calibrationTable(calibrate(header.config.modes, run.results))}\n\n` +
      `this session: ${counted(outcome.finished, 'result')} in ${duration(seconds)}` +
      (seconds > 0 ? `, ${(outcome.finished / seconds).toFixed(2)} answers/s` : '') +
      ` · all tokens: ${tokens}\n` +
      `results: ${options.out} (progress: ${options.progress})\n`,
  );
  if (outcome.status === 'aborted') err('Interrupted: run again with --resume to continue.');
  if (outcome.status === 'incomplete')
    err(
      `${counted(outcome.failures.length, 'attempt')} failed: run again with --resume to retry them.`,
    );
  if (outcome.error) err(`bench: stopped: ${outcome.error.message}`);
  return outcomeCode(outcome);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error instanceof EngineError && error.code === 'bad-input')
    ) {
      err(`bench: ${error.message}\nRun npm run bench -- --help for the flags.`);
      process.exitCode = exitCodes.usage;
      return;
    }
    if (error instanceof DataError) {
      err(`bench: ${error.message}`);
      process.exitCode = exitCodes.usage;
      return;
    }
    err(`bench: ${message(error)}`);
    process.exitCode = exitCodes.failed;
  },
);
