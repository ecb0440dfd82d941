// Tally's own word problems (problems.jsonl, written for this project), in GSM8K's format:
// {"question", "answer"} with `<<a*b=c>>` calculator annotations and a last line `#### N`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WordProblem {
  question: string;
  /** a worked solution, one step per line, ending `#### N` */
  answer: string;
}

/** Where the set is, for tests that hand a file to the CLI or the page. */
export const problemsPath = fileURLToPath(new URL('./problems.jsonl', import.meta.url));

/** The file as it is on disk: JSON Lines ending in a newline. */
export const problemsText = readFileSync(problemsPath, 'utf8');

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export const problems: WordProblem[] = jsonLines(problemsText);

/** A problem with a model's reply to it, in a shape answer extraction must read. */
export interface RepliedProblem extends WordProblem {
  output: string;
}

/**
 * Tally's own problems with a reply each (replies.jsonl): closing sentences that restate the
 * question's numbers, clock times, unit conversions and JSON answers, and near misses of each.
 */
export const replies: RepliedProblem[] = jsonLines(
  readFileSync(new URL('./replies.jsonl', import.meta.url), 'utf8'),
);

/** The gold answer as GSM8K states it: the text after the last `####`, commas removed. */
export function gold(solution: string): string {
  return (solution.split('####').pop() ?? '').trim().replaceAll(',', '');
}

/**
 * The project's own small files in the shapes of the other published sets, for the download and
 * conversion tests: GSM-Hard's JSON Lines of {"input", "code", "target"} (8 problems) and SVAMP's
 * JSON array of {"ID", "Body", "Question", "Equation", "Answer", "Type"} (6 problems).
 */
export const setFiles = {
  'gsm-hard': readFileSync(new URL('./gsm-hard.jsonl', import.meta.url), 'utf8'),
  svamp: readFileSync(new URL('./svamp.json', import.meta.url), 'utf8'),
} as const;
