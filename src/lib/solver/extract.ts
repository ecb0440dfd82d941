// Pulls the final numeric answer out of a free-form solution, as the canonical text voting compares.
// Returns null when the text states no number; a wrong pick is possible, an exception is not.
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
}

/** Characters of a statement that are read: an answer is stated in its first sentence. */
const maxSpan = 400;
/** Explicit statements tried, last first, before falling back to the last number. */
const maxStatements = 64;

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
        found.push({ source: 'boxed', start, from: open + 1, to, strict: false });
      }
    }
  }
  return found;
}

const markers: { pattern: RegExp; strict: boolean }[] = [
  { pattern: /####/g, strict: true },
  { pattern: /\banswer\s+(?:is|was|would be|will be)\b/gi, strict: false },
  { pattern: /\banswer\s*(?:\*\*\s*)?[:=]/gi, strict: true },
  { pattern: /(?:^|\n)[ \t*]*a\s*:/gi, strict: true },
  { pattern: /"answer"\s*:/gi, strict: false },
];

function markerCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const { pattern, strict } of markers) {
    for (const match of text.matchAll(pattern)) {
      const from = match.index + match[0].length;
      // up to the line's end, looked for only within maxSpan (a long line costs no more)
      const lineEnd = text.slice(from, from + maxSpan).indexOf('\n');
      const to = lineEnd < 0 ? Math.min(text.length, from + maxSpan) : from + lineEnd;
      found.push({ source: 'marker', start: match.index, from, to, strict });
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

/**
 * In a closing restatement ("Therefore, Maya saves $840 if she keeps it up for 12 weeks."), the
 * number of the last sentence that the last step computed, when what follows it only restates
 * the question: a number no step computed, written once in the sentence and already in the work
 * before it (`before`, as written: "180 / 30 = 6" has 180), or a time of day.
 */
function restated(
  line: string,
  numbers: readonly NumberMatch[],
  before: string,
  computed: readonly Rational[],
): NumberMatch | null {
  const latest = computed[computed.length - 1];
  const counted = numbers.filter((n) => !clock(line, n));
  const last = counted[counted.length - 1];
  if (!last || !latest) return null;
  const isResult = (n: NumberMatch): boolean => computed.some((r) => sameRational(r, n.value));
  // "…works 5 hours and leaves at 2:00 pm": the result, then a time
  if (isResult(last)) return last === numbers[numbers.length - 1] ? null : last;
  let from = -1;
  for (const end of line.slice(0, last.start).matchAll(/[.!?]\s/g)) from = end.index;
  const sentence = counted.filter((n) => n !== last && n.start > from);
  if (sentence.some((n) => sameRational(n.value, last.value))) return null;
  const result = sentence.findLast((n) => sameRational(n.value, latest));
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
 */
function lastNumber(text: string, annotated: () => Annotations): NumberMatch | null {
  const lines = unlatex(text).split('\n');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    const numbers = findNumbers(line).filter(countable);
    const last = numbers[numbers.length - 1];
    if (!last) continue;
    const equals = Math.max(line.lastIndexOf('='), line.lastIndexOf('≈'));
    if (equals >= 0) return numbers.find((n) => n.start > equals) ?? last;
    const work = lines.slice(0, i).join('\n');
    const { text: held, results: heldResults } = annotated();
    const computed = [...heldResults, ...results(work)];
    return restated(line, numbers, `${work}\n${held}`, computed) ?? last;
  }
  return null;
}

function extractFrom(text: string, annotated: () => Annotations): Extracted | null {
  const candidates = [...boxedCandidates(text), ...markerCandidates(text)]
    .sort((a, b) => b.start - a.start)
    .slice(0, maxStatements);
  for (const candidate of candidates) {
    const number = spanNumber(text.slice(candidate.from, candidate.to), candidate.strict);
    if (number) {
      return { answer: canonical(number.value), source: candidate.source };
    }
  }
  const last = lastNumber(text, annotated);
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
 * it is read when it has a number.
 */
export function extractDetail(text: string): Extracted | null {
  const tidied = tidy(text);
  const annotated = annotations(tidied);
  const clean = blankAnnotations(tidied);
  const think = clean.lastIndexOf('</think>');
  const after = think < 0 ? null : extractFrom(clean.slice(think + '</think>'.length), annotated);
  return after ?? extractFrom(clean, annotated);
}

/** The canonical final answer of a free-form solution ("18", "0.5", "1/3"), or null. */
export function extractAnswer(text: string): string | null {
  return extractDetail(text)?.answer ?? null;
}
