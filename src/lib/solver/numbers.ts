// Finds the numbers a person would read in free text ("$1,250", "2 1/2", "-3.5", "forty-two", "50%").
// Misreads rather than fails: text with no number gives an empty list, never an exception.
import { add, divide, fromDecimal, multiply, negate, ratio, type Rational } from './rational';

/** One number found in a text. */
export interface NumberMatch {
  value: Rational;
  /** offset of the first character, UTF-16 code units */
  start: number;
  /** offset just past the last character, UTF-16 code units */
  end: number;
  /** written with `%` or "percent" (the value is the number before it: "50%" is 50) */
  percent: boolean;
  /** written in words ("twelve") rather than digits */
  words: boolean;
}

const decimal = String.raw`(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?|\.\d+`;

// sign, currency, sign again ("-$5", "$-5"), then a mixed number, a fraction or a decimal,
// then an optional scale word and percent sign. A sign counts only when nothing word-like
// sits right before it, so the "-" in "5-3" or "pages 5-10" is not a minus.
const digitPattern = new RegExp(
  String.raw`(?<![\w)\]}])(-)?(\$\s*)?(-)?` +
    String.raw`(?:(\d+) +(\d+)\s*\/\s*(\d+)(?![\d.])|(${decimal})(?:\s*\/\s*(${decimal}))?)` +
    String.raw`(?:\s+(hundred|thousand|million|billion)\b)?` +
    String.raw`(\s*(?:%|percent\b))?`,
  'gi',
);

const smallWords = (
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen ' +
  'fifteen sixteen seventeen eighteen nineteen'
).split(' ');
const tensWords = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const scales: Record<string, bigint> = {
  hundred: 100n,
  thousand: 1000n,
  million: 1_000_000n,
  billion: 1_000_000_000n,
};

type WordKind = 'small' | 'tens' | 'hundred' | 'scale' | 'and';

interface Word {
  kind: WordKind;
  value: bigint;
  start: number;
  end: number;
}

function classify(word: string): { kind: WordKind; value: bigint } | null {
  const lower = word.toLowerCase();
  const small = smallWords.indexOf(lower);
  if (small >= 0) return { kind: 'small', value: BigInt(small) };
  const tens = tensWords.indexOf(lower);
  if (tens >= 0) return { kind: 'tens', value: BigInt((tens + 2) * 10) };
  if (lower === 'hundred') return { kind: 'hundred', value: 100n };
  const scale = scales[lower];
  if (scale !== undefined) return { kind: 'scale', value: scale };
  if (lower === 'and') return { kind: 'and', value: 0n };
  return null;
}

/** Which word kinds may follow which inside one spelled-out number. */
function follows(previous: WordKind | null, next: WordKind): boolean {
  switch (previous) {
    case null:
      return next === 'small' || next === 'tens';
    case 'small':
      return next === 'hundred' || next === 'scale';
    case 'tens':
      return next === 'small' || next === 'scale';
    case 'hundred':
    case 'scale':
      return next !== 'hundred';
    case 'and':
      return next === 'small' || next === 'tens';
  }
}

function wordValue(words: Word[]): bigint {
  let total = 0n;
  let current = 0n;
  for (const word of words) {
    if (word.kind === 'small' || word.kind === 'tens') current += word.value;
    else if (word.kind === 'hundred') current *= 100n;
    else if (word.kind === 'scale') {
      total += current * word.value;
      current = 0n;
    }
  }
  return total + current;
}

/** Spelled-out numbers ("forty-two", "one hundred and five"), split where the grammar breaks. */
function wordNumbers(text: string): NumberMatch[] {
  const found: NumberMatch[] = [];
  let run: Word[] = [];
  let lastEnd = -1;
  const flush = (): void => {
    while (run.length > 0 && run[run.length - 1]?.kind === 'and') run.pop();
    const first = run[0];
    const last = run[run.length - 1];
    if (first && last) {
      const negative = /negative\s+$/i.exec(text.slice(Math.max(0, first.start - 12), first.start));
      const value = ratio(wordValue(run), 1n) ?? { num: 0n, den: 1n };
      found.push({
        value: negative ? negate(value) : value,
        start: negative ? first.start - negative[0].length : first.start,
        end: last.end,
        percent: /^\s*(?:%|percent\b)/i.test(text.slice(last.end)),
        words: true,
      });
    }
    run = [];
  };
  for (const match of text.matchAll(/[a-z]+/gi)) {
    const start = match.index;
    const end = start + match[0].length;
    const kind = classify(match[0]);
    const joined = lastEnd >= 0 && /^[\s-]+$/.test(text.slice(lastEnd, start));
    const previous = run[run.length - 1];
    if (kind && previous && joined && follows(previous.kind, kind.kind)) {
      run.push({ ...kind, start, end });
    } else {
      flush();
      if (kind && follows(null, kind.kind)) run.push({ ...kind, start, end });
    }
    lastEnd = end;
  }
  flush();
  return found;
}

function parseDecimal(text: string): Rational | null {
  return fromDecimal(text.replaceAll(',', ''));
}

function digitValue(match: RegExpExecArray): Rational | null {
  const [, sign1, , sign2, whole, top, bottom, plain, over, scale] = match;
  let value: Rational | null;
  if (whole !== undefined && top !== undefined && bottom !== undefined) {
    const fraction = ratio(BigInt(top), BigInt(bottom));
    value = fraction && add(ratio(BigInt(whole), 1n) ?? fraction, fraction);
  } else {
    const head = plain === undefined ? null : parseDecimal(plain);
    const tail = over === undefined ? null : parseDecimal(over);
    value = head && (over === undefined ? head : tail && divide(head, tail));
  }
  if (value && scale !== undefined) {
    value = multiply(value, { num: scales[scale.toLowerCase()] ?? 1n, den: 1n });
  }
  if (value && (sign1 ?? sign2) !== undefined) value = negate(value);
  return value;
}

/** "negative 4": the word before a number makes it negative. */
function negativeWord(text: string, start: number): string | null {
  return /negative\s+$/i.exec(text.slice(Math.max(0, start - 12), start))?.[0] ?? null;
}

function digitNumbers(text: string): NumberMatch[] {
  const found: NumberMatch[] = [];
  digitPattern.lastIndex = 0;
  for (let match = digitPattern.exec(text); match; match = digitPattern.exec(text)) {
    const [, , , , whole, top = '0', bottom = '0'] = match;
    if (whole !== undefined && BigInt(top) >= BigInt(bottom)) {
      // "2 5/3" is not a mixed number: read the 2 alone and go on from there
      const end = match.index + match[0].indexOf(whole) + whole.length;
      const value = fromDecimal(text.slice(match.index, end).replace(/[\s$]/g, ''));
      if (value) found.push({ value, start: match.index, end, percent: false, words: false });
      digitPattern.lastIndex = end;
      continue;
    }
    const value = digitValue(match);
    if (!value) continue;
    const negative = value.num > 0n ? negativeWord(text, match.index) : null;
    found.push({
      value: negative ? negate(value) : value,
      start: match.index - (negative?.length ?? 0),
      end: match.index + match[0].length,
      percent: match[10] !== undefined,
      words: false,
    });
  }
  return found;
}

/** Every number in the text, digits and words, in order of position. */
export function findNumbers(text: string): NumberMatch[] {
  const digits = digitNumbers(text);
  const words = wordNumbers(text).filter(
    (w) => !digits.some((d) => d.start < w.end && w.start < d.end),
  );
  return [...digits, ...words].sort((a, b) => a.start - b.start);
}
