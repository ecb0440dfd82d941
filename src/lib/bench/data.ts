// Reads benchmark problems: JSON Lines of GSM8K's {question, answer: "... #### N"}, GSM-Hard's
// {input, target} or {question, gold}; or a JSON array of SVAMP's {Body, Question, Answer}.
// Never throws on content: a malformed line or record is skipped and reported with its number and reason.
import { normalizeAnswer } from '../solver/equal';
import { questionProblem } from '../solver/question';
import type { Problem } from './types';

/** A line (or a JSON array's record) that was left out, and why. */
export interface SkippedLine {
  /** 1-based line, or record in a JSON array */
  line: number;
  reason: string;
}

export interface Dataset {
  /** the valid problems, in file order */
  problems: Problem[];
  /** malformed lines or records; blank lines are not counted */
  skipped: SkippedLine[];
  /** what `line` numbers: lines of JSON Lines, or records of a JSON array */
  unit: 'line' | 'record';
}

/** GSM8K's gold answer: the text after the last `####`, or undefined when there is none. */
export function goldFromSolution(answer: string): string | undefined {
  const at = answer.lastIndexOf('####');
  return at < 0 ? undefined : answer.slice(at + 4).trim();
}

/** Trims and drops thousands separators: " 2,125 " -> "2125". */
export function cleanGold(gold: string): string {
  return gold.trim().replace(/(?<=\d),(?=\d{3}\b)/g, '');
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A gold answer as a string, from a JSON string or number. */
function goldText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The problem a question and gold make, or why they do not. */
function problemOf(question: string, gold: string, line: number, id: string): Problem | string {
  const problem = questionProblem(question);
  if (problem) return problem;
  const cleaned = cleanGold(gold);
  if (normalizeAnswer(cleaned) === null)
    return `the gold answer "${cleaned.slice(0, 40)}" is not a number`;
  return { id, line, question: question.trim(), gold: cleaned };
}

/** One JSON Lines record: GSM8K's {question, answer}, {question, gold} or GSM-Hard's {input, target}. */
function lineProblem(record: Fields, line: number): Problem | string {
  const id = `L${line}`;
  if (typeof record.input === 'string' && !('question' in record)) {
    const gold = goldText(record.target);
    if (gold === undefined) return 'no "target" number (GSM-Hard)';
    return problemOf(record.input, gold, line, id);
  }
  const { question } = record;
  if (typeof question !== 'string') return 'no "question" string';
  const gold = goldText(record.gold);
  if (gold !== undefined) return problemOf(question, gold, line, id);
  if (typeof record.answer !== 'string') return 'no "answer" (GSM8K) or "gold" field';
  const fromSolution = goldFromSolution(record.answer);
  if (fromSolution === undefined) return '"answer" has no "#### N" line';
  return problemOf(question, fromSolution, line, id);
}

/**
 * One SVAMP record: its question is the Body and the Question joined (a Body that does not end
 * a sentence gets a full stop), its gold the Answer; its id is `R` and the record number.
 */
function svampProblem(record: Fields, index: number): Problem | string {
  const { Body: body, Question: question } = record;
  if (typeof body !== 'string' || typeof question !== 'string') {
    return 'no "Body" and "Question" strings (SVAMP)';
  }
  const gold = goldText(record.Answer);
  if (gold === undefined) return 'no "Answer" number (SVAMP)';
  const head = body.trim();
  const joined = /[.?!]$/.test(head) || head === '' ? head : `${head}.`;
  return problemOf(`${joined} ${question.trim()}`, gold, index, `R${index}`);
}

/** A JSON array file (SVAMP's shape) rather than JSON Lines. */
const isArrayFile = (text: string) => text.trimStart().startsWith('[');

/**
 * How many records `text` holds: non-empty lines of JSON Lines, or the elements of a JSON array
 * (undefined when the array does not parse, as a truncated one does not).
 */
export function recordCount(text: string): number | undefined {
  if (!isArrayFile(text)) return text.split('\n').filter((line) => line.trim() !== '').length;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.length : undefined;
  } catch {
    return undefined;
  }
}

/** Sorts parsed records into problems and skipped ones. */
function collect(parsed: [number, Problem | string][], unit: Dataset['unit']): Dataset {
  const problems: Problem[] = [];
  const skipped: SkippedLine[] = [];
  for (const [line, result] of parsed) {
    if (typeof result === 'string') skipped.push({ line, reason: result });
    else problems.push(result);
  }
  return { problems, skipped, unit };
}

/**
 * Parses a whole data file: a JSON array of SVAMP records, or JSON Lines (LF or CRLF line ends).
 * A JSON array that does not parse is one skipped record saying so.
 */
export function parseDataset(text: string): Dataset {
  if (isArrayFile(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return collect([[1, `the file is not a valid JSON array (${why})`]], 'record');
    }
    const records = Array.isArray(value) ? (value as unknown[]) : [];
    return collect(
      records.map((record, i) => [
        i + 1,
        isFields(record) ? svampProblem(record, i + 1) : 'not a JSON object',
      ]),
      'record',
    );
  }
  const parsed: [number, Problem | string][] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      parsed.push([index + 1, 'not valid JSON']);
      return;
    }
    parsed.push([index + 1, isFields(value) ? lineProblem(value, index + 1) : 'not a JSON object']);
  });
  return collect(parsed, 'line');
}

/** FNV-1a over UTF-16 code units from a given offset basis, as an unsigned 32-bit integer. */
function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Identifies a set of problems (ids, questions and golds, in order) as 16 hex digits: two FNV-1a
 * hashes with different offset bases. Not cryptographic; it tells data files apart on resume.
 */
export function fingerprint(problems: readonly Problem[]): string {
  const text = problems.map((p) => `${p.id}\u0000${p.question}\u0000${p.gold}`).join('\u0001');
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(fnv1a(text, 0x811c9dc5)) + hex(fnv1a(text, 0x050c5d1f));
}
