// Reads benchmark problems from JSON Lines: GSM8K's {question, answer: "... #### N"} or {question, gold}.
// Never throws on content: a malformed line is skipped and reported with its line number and reason.
import { normalizeAnswer } from '../solver/equal';
import { questionProblem } from '../solver/question';
import type { Problem } from './types';

/** A line that was left out, and why. */
export interface SkippedLine {
  /** 1-based */
  line: number;
  reason: string;
}

export interface Dataset {
  /** the valid problems, in file order */
  problems: Problem[];
  /** malformed lines; blank lines are not counted */
  skipped: SkippedLine[];
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

function parseLine(text: string, line: number): Problem | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const record = value as Record<string, unknown>;
  const { question } = record;
  if (typeof question !== 'string') return 'no "question" string';
  const problem = questionProblem(question);
  if (problem) return problem;
  let gold: string | undefined;
  if (typeof record.gold === 'string' || typeof record.gold === 'number') {
    gold = String(record.gold);
  } else if (typeof record.answer === 'string') {
    gold = goldFromSolution(record.answer);
    if (gold === undefined) return '"answer" has no "#### N" line';
  } else {
    return 'no "answer" (GSM8K) or "gold" field';
  }
  const cleaned = cleanGold(gold);
  if (normalizeAnswer(cleaned) === null)
    return `the gold answer "${cleaned.slice(0, 40)}" is not a number`;
  return { id: `L${line}`, line, question: question.trim(), gold: cleaned };
}

/** Parses a whole JSON Lines file (LF or CRLF line ends). */
export function parseDataset(text: string): Dataset {
  const problems: Problem[] = [];
  const skipped: SkippedLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const line = index + 1;
    const parsed = parseLine(raw, line);
    if (typeof parsed === 'string') skipped.push({ line, reason: parsed });
    else problems.push(parsed);
  });
  return { problems, skipped };
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
