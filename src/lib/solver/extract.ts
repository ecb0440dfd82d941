// Pulls the final numeric answer out of a free-form solution, as the canonical text voting compares.
// Returns null when the text states no number; a wrong pick is possible, an exception is not.
import { convertible, readQuestion, stated, unitAfter, type Asked } from './asked';
import { unlatex } from './latex';
import { findNumbers, type NumberMatch } from './numbers';
import { canonical, sameRational, type Rational } from './rational';

/** Where an extracted answer came from, strongest first. */
export type AnswerSource = 'boxed' | 'marker' | 'last-number';

/** An extracted answer with its provenance. */
export interface Extracted {
  /** canonical answer text: "18", "-10", "0.5", "1/3" (see `canonical` in rational.ts) */
  answer: string;
  /** `\boxed{}`; an explicit marker ("The answer is", "####", "Answer:", "A:", JSON); or the last number */
  source: AnswerSource;
}

interface Candidate {
  source: Exclude<AnswerSource, 'last-number'>;
  start: number;
  /** where the statement's text starts and ends (the end is capped at `maxSpan` characters) */
  from: number;
  to: number;
  /** the number must open the span (only symbols before it), as in "Answer: 18" */
  strict: boolean;
  /** a JSON `"answer":` field (see `fieldAnswer`) */
  field: boolean;
}

/** Characters of a statement that are read: an answer is stated in its first sentence. */
const maxSpan = 400;
/** Explicit statements tried, last first, before falling back to the last number. */
const maxStatements = 64;
/** Characters of a JSON `"answer"` string that are read: a sentence of work, not a whole reply. */
const maxField = 4000;

/** GSM8K calculator annotations `<<16-3-4=9>>`, blanked to spaces so offsets stay put. */
export function blankAnnotations(text: string): string {
  return text.replace(/<<[^<>]*>>/g, (m) => ' '.repeat(m.length));
}

/** What GSM8K calculator annotations `<<12*70=840>>` held before they were blanked. */
interface Annotations {
  /** all of them, one after another */
  text: string;
  /** each one's result (840), in order */
  results: Rational[];
}

/**
 * The last `maxStatements` annotations of `text`, read only when asked (a closing restatement
 * needs them; an explicit statement does not), once.
 */
function annotations(text: string): () => Annotations {
  let read: Annotations | undefined;
  return () => {
    if (!read) {
      const joined = (text.match(/<<[^<>]*>>/g) ?? []).slice(-maxStatements).join(' ');
      read = { text: joined, results: results(joined) };
    }
    return read;
  };
}

/**
 * The content of each closed `\boxed{...}` / `\fbox{...}`, nested braces included: one pass
 * with a stack of open braces, so 3,000 nested or unclosed boxes cost no more than one.
 */
function boxedCandidates(text: string): Candidate[] {
  const opens = new Map<number, number>();
  for (const match of text.matchAll(/\\(?:boxed|fbox)\s*\{/g)) {
    opens.set(match.index + match[0].length - 1, match.index);
  }
  if (opens.size === 0) return [];
  const found: Candidate[] = [];
  const stack: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '{') stack.push(i);
    else if (text[i] === '}') {
      const open = stack.pop();
      const start = open === undefined ? undefined : opens.get(open);
      if (open !== undefined && start !== undefined) {
        const to = Math.min(i, open + 1 + maxSpan);
        found.push({ source: 'boxed', start, from: open + 1, to, strict: false, field: false });
      }
    }
  }
  return found;
}

const markers: { pattern: RegExp; strict: boolean; field: boolean }[] = [
  { pattern: /####/g, strict: true, field: false },
  { pattern: /\banswer\s+(?:is|was|would be|will be)\b/gi, strict: false, field: false },
  { pattern: /\banswer\s*(?:\*\*\s*)?[:=]/gi, strict: true, field: false },
  { pattern: /(?:^|\n)[ \t*]*a\s*:/gi, strict: true, field: false },
  { pattern: /"answer"\s*:/gi, strict: false, field: true },
];

function markerCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const { pattern, strict, field } of markers) {
    for (const match of text.matchAll(pattern)) {
      const from = match.index + match[0].length;
      // up to the line's end, looked for only within maxSpan (a long line costs no more)
      const lineEnd = text.slice(from, from + maxSpan).indexOf('\n');
      const to = lineEnd < 0 ? Math.min(text.length, from + maxSpan) : from + lineEnd;
      found.push({ source: 'marker', start: match.index, from, to, strict, field });
    }
  }
  return found;
}

/** The statement's own number: after its last "=" or "≈", first in its first sentence. */
function spanNumber(span: string, strict: boolean): NumberMatch | null {
  const sentence = unlatex(span).split(/[.!?;](?:\s|$)|\n/)[0] ?? '';
  const tail = sentence.split(/[=≈]/).pop() ?? '';
  const first = findNumbers(tail)[0];
  if (!first) return null;
  if (strict && /[a-z]/i.test(tail.slice(0, first.start))) return null;
  return first;
}

function countable(n: NumberMatch): boolean {
  return !(n.words && n.value.num === 1n && n.value.den === 1n);
}

/** The results steps computed: the first number after each "=" or "≈", in order. */
function results(text: string): Rational[] {
  const numbers = findNumbers(text);
  const found: Rational[] = [];
  let next = 0;
  for (const equals of text.matchAll(/[=≈]/g)) {
    while ((numbers[next]?.start ?? Infinity) <= equals.index) next += 1;
    const number = numbers[next];
    if (number) found.push(number.value);
  }
  return found;
}

/** Whether a number is part of a clock time ("2:00 pm" holds 2 and 00). */
function clock(line: string, n: NumberMatch): boolean {
  return (
    /^:\d\d/.test(line.slice(n.end)) || /\d:$/.test(line.slice(Math.max(0, n.start - 2), n.start))
  );
}

/** A line's numbers with each clock time read as its hour: "2:00 pm" is 2, its minutes dropped. */
function clockHours(line: string, numbers: readonly NumberMatch[]): NumberMatch[] {
  return numbers
    .filter((n) => !/\d:$/.test(line.slice(Math.max(0, n.start - 2), n.start)))
    .map((n) => (/^:\d\d/.test(line.slice(n.end)) ? { ...n, end: n.end + 3 } : n));
}

/**
 * A conversion after the number read ("= 72 months, which is 6 years"): when that number is in a
 * unit of the kind the question asks for but not that unit, the last number after it on the line
 * in the unit asked for; else null.
 */
function converted(
  line: string,
  numbers: readonly NumberMatch[],
  read: NumberMatch,
  unit: string,
): NumberMatch | null {
  const from = unitAfter(line, read);
  if (from === null || !convertible(from, unit)) return null;
  return numbers.findLast((n) => n.start > read.start && unitAfter(line, n) === unit) ?? null;
}

/**
 * In a closing restatement ("Therefore, Maya saves $840 if she keeps it up for 12 weeks."), the
 * number of the last sentence that is its result, when what follows it only restates the
 * question. With the question known, what follows is a number the question states (and no step
 * computed) after numbers it does not state: of those, the last step's result, else a computed
 * one, else the last. Otherwise, the number of the sentence that the last step computed (in
 * `work` or its annotations), when what follows is a number no step computed, written once in
 * the sentence and already in the work before it (as written: "180 / 30 = 6" has 180), or a time
 * of day.
 */
function restated(
  line: string,
  numbers: readonly NumberMatch[],
  work: string,
  annotated: () => Annotations,
  asked: Asked | null,
): NumberMatch | null {
  const { text: held, results: heldResults } = annotated();
  const before = `${work}\n${held}`;
  const computed = [...heldResults, ...results(work)];
  const latest = computed[computed.length - 1];
  const counted = numbers.filter((n) => !clock(line, n));
  const last = counted[counted.length - 1];
  if (!last) return null;
  const isResult = (n: NumberMatch): boolean => computed.some((r) => sameRational(r, n.value));
  // "…works 5 hours and leaves at 2:00 pm": the result, then a time
  if (isResult(last)) return last === numbers[numbers.length - 1] ? null : last;
  let from = -1;
  for (const end of line.slice(0, last.start).matchAll(/[.!?]\s/g)) from = end.index;
  const sentence = counted.filter((n) => n !== last && n.start > from);
  if (sentence.some((n) => sameRational(n.value, last.value))) return null;
  if (asked && stated(asked, last)) {
    const fresh = sentence.filter((n) => !stated(asked, n));
    const found =
      fresh.findLast((n) => latest && sameRational(n.value, latest)) ??
      fresh.findLast(isResult) ??
      fresh[fresh.length - 1];
    if (found) return found;
  }
  const result = latest && sentence.findLast((n) => sameRational(n.value, latest));
  const digits = /\d[\d,.]*/.exec(line.slice(last.start, last.end))?.[0];
  if (!result || !digits) return null;
  const written = new RegExp(String.raw`(?<![\d.,])${digits.replaceAll('.', '\\.')}(?!\d)`);
  return written.test(before) ? result : null;
}

/**
 * With no explicit statement: the last line that has a number; in it, the result of its last
 * "=" ("So she is 5+3=8 in 3 years" gives 8), else the number a closing restatement names as
 * computed (see `restated`), else its last number. A lone "one" is not counted (usually a
 * pronoun: "each one"). The text has its annotations blanked: `annotated` says what they held.
 * With the question known, a clock time answers a question for the hour with its hour, and a
 * line that goes on to convert the number it gives names it in the unit asked for (`converted`).
 */
function lastNumber(
  text: string,
  annotated: () => Annotations,
  asked: Asked | null,
): NumberMatch | null {
  const lines = unlatex(text).split('\n');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    const found = findNumbers(line).filter(countable);
    const numbers = asked?.hour ? clockHours(line, found) : found;
    const last = numbers[numbers.length - 1];
    if (!last) continue;
    const equals = Math.max(line.lastIndexOf('='), line.lastIndexOf('≈'));
    const read =
      equals >= 0
        ? (numbers.find((n) => n.start > equals) ?? last)
        : (restated(line, numbers, lines.slice(0, i).join('\n'), annotated, asked) ?? last);
    return (asked?.unit ? converted(line, numbers, read, asked.unit) : null) ?? read;
  }
  return null;
}

/**
 * The JSON string that opens at `at`, decoded (as written when it is not valid JSON), and where
 * it ends; null when there is none or it does not close within `maxField` characters.
 */
function jsonString(text: string, at: number): { value: string; end: number } | null {
  if (text[at] !== '"') return null;
  const stop = Math.min(text.length, at + maxField);
  for (let i = at + 1; i < stop; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') {
      const raw = text.slice(at, i + 1);
      try {
        return { value: String(JSON.parse(raw)), end: i + 1 };
      } catch {
        return { value: raw.slice(1, -1), end: i + 1 };
      }
    }
  }
  return null;
}

/**
 * Where the JSON block holding a field that starts at `from` ends: past the brace closing its
 * object, any braces and brackets closing around that, and a closing ``` fence; -1 when the
 * object never closes (or holds a string longer than `maxField`). Strings are skipped, so braces
 * inside them do not count.
 */
function blockEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      i = jsonString(text, i)?.end ?? text.length;
      i -= 1;
    } else if (c === '{' || c === '[') depth += 1;
    else if ((c === '}' || c === ']') && depth > 0) depth -= 1;
    else if (c === '}' || c === ']') {
      const rest = /^(?:\s*[}\]])*\s*(?:```)?/.exec(text.slice(i + 1, i + 1 + maxSpan));
      return i + 1 + (rest?.[0].length ?? 0);
    }
  }
  return -1;
}

/**
 * The result that text after a JSON block reaches: when it works something out (an "=" or
 * "equals": "so he spends 9 * 4 = 36 hours."), its close read as any solution's; a note that
 * computes nothing ("I assumed 6 days a week.") reaches none.
 */
function reached(
  text: string,
  annotated: () => Annotations,
  asked: Asked | null,
): NumberMatch | null {
  return /[=≈]|\bequals\b/i.test(text) ? lastNumber(text, annotated, asked) : null;
}

/**
 * A JSON `"answer"` string's number, read like the close of a solution, a sentence a line (its
 * result, not its first number: "… = $400. … so $400 + $60 = $460 in all." gives 460), without
 * its asides in parentheses when a number stands outside them ("18 (9 eggs * $2)" gives 18).
 */
function fieldNumber(
  value: string,
  annotated: () => Annotations,
  asked: Asked | null,
): NumberMatch | null {
  const outside = value.replace(/\([^()]*\)/g, ' ');
  const read = findNumbers(outside).length > 0 ? outside : value;
  return lastNumber(read.replace(/([.;!?])\s+/g, '$1\n'), annotated, asked);
}

/**
 * A JSON `"answer":` field's number: a string's by `fieldNumber`, anything else as a statement.
 * Text after the JSON block that works something out (see `reached`) wins, as it would for a
 * reader ("answer": "54" then "… so he spends 9 * 4 = 36 hours." gives 36).
 */
function fieldAnswer(
  text: string,
  candidate: Candidate,
  annotated: () => Annotations,
  asked: Asked | null,
): Rational | null {
  const at =
    candidate.from + (/^\s*/.exec(text.slice(candidate.from, candidate.to))?.[0].length ?? 0);
  const string = jsonString(text, at);
  const own = string
    ? fieldNumber(string.value, annotated, asked)
    : spanNumber(text.slice(candidate.from, candidate.to), false);
  if (!own) return null;
  const end = blockEnd(text, at);
  return ((end < 0 ? null : reached(text.slice(end), annotated, asked)) ?? own).value;
}

function extractFrom(
  text: string,
  annotated: () => Annotations,
  asked: Asked | null,
): Extracted | null {
  const candidates = [...boxedCandidates(text), ...markerCandidates(text)]
    .sort((a, b) => b.start - a.start)
    .slice(0, maxStatements);
  for (const candidate of candidates) {
    const value = candidate.field
      ? fieldAnswer(text, candidate, annotated, asked)
      : spanNumber(text.slice(candidate.from, candidate.to), candidate.strict)?.value;
    if (value) return { answer: canonical(value), source: candidate.source };
  }
  const last = lastNumber(text, annotated, asked);
  return last ? { answer: canonical(last.value), source: 'last-number' } : null;
}

/** Characters mapped one-to-one so offsets survive: Unicode minus, no-break and thin spaces. */
function tidy(text: string): string {
  return text.replace(/[\u2212]/g, '-').replace(/[\u00a0\u2009\u202f]/g, ' ');
}

/**
 * The final answer of a solution with where it came from, or null when it states none.
 * The last explicit statement wins (`\boxed{}`, "The answer is", "####", "Answer:", "A:", JSON
 * `"answer"`), so "The answer is 5. Wait... so the answer is 6." gives 6; without one, the result
 * on the last line that has a number. After a reasoning model's `</think>`, only the text after
 * it is read when it has a number. `question`, where known, tells a closing sentence's result
 * from the numbers it restates (see `lastNumber`); without it, nothing is assumed of the question.
 */
export function extractDetail(text: string, question?: string): Extracted | null {
  const asked = question === undefined ? null : readQuestion(tidy(question));
  const tidied = tidy(text);
  const annotated = annotations(tidied);
  const clean = blankAnnotations(tidied);
  const think = clean.lastIndexOf('</think>');
  const after =
    think < 0 ? null : extractFrom(clean.slice(think + '</think>'.length), annotated, asked);
  return after ?? extractFrom(clean, annotated, asked);
}

/** The canonical final answer of a free-form solution ("18", "0.5", "1/3"), or null. */
export function extractAnswer(text: string, question?: string): string | null {
  return extractDetail(text, question)?.answer ?? null;
}
