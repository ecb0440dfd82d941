// Re-does the arithmetic a solution shows ("3 * 4 + 2 = 14", "<<9*2=18>>") to flag wrong steps.
// Conservative: anything it cannot parse (algebra, implicit products, units) is skipped, not flagged.
// Bounded: it reads the first `maxCheckedChars` of a solution, and a run of arithmetic longer than
// `maxRunTokens` is not parsed (the check is then incomplete: "could not check"), which caps both
// the parser's recursion depth and its time.
import { blankAnnotations } from './extract';

/** One `left = right` step whose left side has an operation. */
export interface Step {
  /** offset of the step's first character in the solution, UTF-16 code units */
  start: number;
  /** offset just past the step's last character, UTF-16 code units */
  end: number;
  /** the step as written */
  text: string;
  /** the left side, recomputed */
  expected: number;
  /** the right side, as stated */
  stated: number;
  /** whether `stated` matches `expected` (see `matches`) */
  ok: boolean;
  /** an inline equation, or a GSM8K calculator annotation `<<a*b=c>>` */
  source: 'inline' | 'annotation';
}

export interface CheckResult {
  /** every step found, in order of position */
  steps: Step[];
  /** the steps whose arithmetic is wrong */
  wrong: Step[];
  /** false when part of the text was too long or too deeply nested to check ("could not check") */
  complete: boolean;
}

/**
 * Tokens a side of one step may have. Real steps have a few dozen at most; a longer run ("(((…",
 * "- - - …") is left unchecked, so parsing stays linear in the reply and its recursion shallow.
 */
export const maxRunTokens = 120;

/**
 * Characters of a solution that are checked: twice what 1,024 tokens of prose make. A longer
 * reply is checked this far and reported incomplete, so the check's time stays bounded.
 */
export const maxCheckedChars = 8_000;

/** Parentheses opened before a step that `leftSide` looks past ("((3 + 4 = 7"). */
const maxLeadingOpens = 8;

type Op = '+' | '-' | '*' | '/' | '^';

interface Token {
  kind: 'num' | 'op' | 'open' | 'close' | 'frac' | 'eq' | 'break';
  start: number;
  end: number;
  /** for 'op' */
  op?: Op;
  /** for 'num': the number as written, without `%` */
  value?: number;
  /** for 'num': written with `%` */
  percent?: boolean;
  /** for 'num': digits after the decimal point */
  decimals?: number;
  /** for 'break': a letter x that may still mean "times" ("15 pages x 1/3") */
  x?: boolean;
}

const lexer = new RegExp(
  [
    String.raw`(?<skip>[ \t]+|\\?\$|\\[,;:! ()[\]]|\\(?:left|right)\b)`,
    String.raw`(?<num>(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)(?:\\?%)?)`,
    String.raw`(?<times>\\times|\\cdot|[*×·⋅∗])`,
    String.raw`(?<divide>\\div|[/÷])`,
    String.raw`(?<minus>[-−–])`,
    String.raw`(?<plus>\+)`,
    String.raw`(?<power>\^)`,
    String.raw`(?<frac>\\[dt]?frac\b)`,
    String.raw`(?<open>[({])`,
    String.raw`(?<close>[)}])`,
    String.raw`(?<eq>=)`,
    String.raw`(?<word>[a-z]+)`,
    String.raw`(?<other>[\s\S])`,
  ].join('|'),
  'giy',
);

const ops: Record<string, Op> = { times: '*', divide: '/', minus: '-', plus: '+', power: '^' };
const plainKinds = ['frac', 'open', 'close', 'eq'] as const;

function numberToken(lexeme: string, start: number, end: number): Token {
  const digits = lexeme.replace(/\\?%$/, '').replaceAll(',', '');
  const point = digits.indexOf('.');
  return {
    kind: 'num',
    start,
    end,
    value: Number(digits),
    percent: lexeme.endsWith('%'),
    decimals: point < 0 ? 0 : digits.length - point - 1,
  };
}

function toToken(
  groups: Record<string, string | undefined>,
  start: number,
  end: number,
): Token | null {
  if (groups.skip !== undefined) return null;
  if (groups.num !== undefined) return numberToken(groups.num, start, end);
  // a lone x between numbers means times ("3 x 4", "3x4"); any other word breaks the run
  if (groups.word !== undefined) {
    const times = groups.word === 'x' || groups.word === 'X';
    return times ? { kind: 'op', op: '*', start, end } : { kind: 'break', start, end };
  }
  for (const [name, op] of Object.entries(ops)) {
    if (groups[name] !== undefined) return { kind: 'op', op, start, end };
  }
  for (const kind of plainKinds) if (groups[kind] !== undefined) return { kind, start, end };
  return { kind: 'break', start, end };
}

/** Splits text into arithmetic tokens; everything else becomes a 'break'. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  lexer.lastIndex = 0;
  for (let m = lexer.exec(text); m; m = lexer.exec(text)) {
    const token = toToken(m.groups ?? {}, m.index, m.index + m[0].length);
    if (token) tokens.push(token);
  }
  // an x that is not between two operands is a variable ("3x + 4 = 28"): it breaks the run
  return tokens.map((t, i) => {
    if (t.kind !== 'op' || !/^x$/i.test(text.slice(t.start, t.end))) return t;
    const before = tokens[i - 1]?.kind;
    const after = tokens[i + 1]?.kind;
    const between =
      (before === 'num' || before === 'close') && (after === 'num' || after === 'open');
    return between ? t : { kind: 'break', start: t.start, end: t.end, x: true };
  });
}

/** How `%` is read: "20% * 50" means 0.2 * 50, while "0.2 * 100 = 20%" means 20. */
type PercentMode = 'fraction' | 'plain';

interface Parsed {
  value: number;
  /** index just past the last token consumed */
  end: number;
}

/**
 * The longest expression that starts at tokens[from] and stays before `to`, by recursive
 * descent (+ - below * / below unary minus below ^; parentheses, braces, \frac{a}{b}).
 * No eval, no Function. A dangling operator ("5 +") is left unconsumed.
 */
export function parseExpression(
  tokens: readonly Token[],
  from: number,
  to: number,
  mode: PercentMode,
): Parsed | null {
  let at = from;
  const peek = (): Token | undefined => (at < to ? tokens[at] : undefined);
  const takeOp = (...wanted: Op[]): Op | null => {
    const t = peek();
    if (t?.kind !== 'op' || t.op === undefined || !wanted.includes(t.op)) return null;
    at += 1;
    return t.op;
  };

  const binary = (next: () => number | null, wanted: Op[]): number | null => {
    let left = next();
    while (left !== null) {
      const mark = at;
      const op = takeOp(...wanted);
      if (!op) break;
      const right = next();
      if (right === null) {
        at = mark;
        break;
      }
      left = apply(op, left, right);
    }
    return left;
  };

  const group = (): number | null => {
    if (peek()?.kind !== 'open') return null;
    at += 1;
    const value = expr();
    if (value === null || peek()?.kind !== 'close') return null;
    at += 1;
    return value;
  };

  const primary = (): number | null => {
    const t = peek();
    if (t?.kind === 'num' && t.value !== undefined) {
      at += 1;
      return t.percent && mode === 'fraction' ? t.value / 100 : t.value;
    }
    if (t?.kind === 'frac') {
      at += 1;
      const top = group();
      const bottom = top === null ? null : group();
      return top === null || bottom === null ? null : top / bottom;
    }
    return group();
  };

  const unary = (): number | null => {
    const mark = at;
    const sign = takeOp('-', '+');
    if (!sign) return power();
    const value = unary();
    if (value === null) at = mark;
    return value === null ? null : sign === '-' ? -value : value;
  };

  const power = (): number | null => {
    const base = primary();
    if (base === null) return null;
    const mark = at;
    if (!takeOp('^')) return base;
    const exponent = unary();
    if (exponent === null) at = mark;
    return exponent === null ? base : base ** exponent;
  };

  const term = (): number | null => binary(unary, ['*', '/']);
  const expr = (): number | null => binary(term, ['+', '-']);

  const value = expr();
  return value === null || !Number.isFinite(value) ? null : { value, end: at };
}

function apply(op: Op, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return a ** b;
  }
}

/**
 * Whether a stated result matches the recomputed one. A stated number may be the recomputed
 * value rounded up or down to the stated number's own decimals ("10 / 3 = 3.33", "10 / 4 = 2",
 * but "3 * 4 = 13" is wrong); a stated expression (`statedDecimals` null) must agree to 1e-9.
 */
export function matches(expected: number, stated: number, statedDecimals: number | null): boolean {
  if (statedDecimals === null) {
    return Math.abs(expected - stated) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  const scale = 10 ** statedDecimals;
  // 12 significant digits drop float noise: 0.29 * 100 is 28.999999999999996
  const scaled = Number((expected * scale).toPrecision(12));
  const target = Number((stated * scale).toPrecision(12));
  return target === Math.floor(scaled) || target === Math.ceil(scaled);
}

const modes: PercentMode[] = ['fraction', 'plain'];

/** A token range [from, to). */
interface Range {
  from: number;
  to: number;
}

/** Whether tokens[from, to) does an operation (not just a number, possibly negated). */
function operates(tokens: readonly Token[], range: Range): boolean {
  return tokens
    .slice(range.from, range.to)
    .some((t, i) => t.kind === 'frac' || (t.kind === 'op' && i > 0));
}

/** The left side: the whole range, less any parentheses opened before it ("(3 + 4 = 7)"). */
function leftSide(tokens: readonly Token[], range: Range): Range | null {
  const last = Math.min(range.to, range.from + maxLeadingOpens + 1);
  for (let from = range.from; from < last; from += 1) {
    const whole = parseExpression(tokens, from, range.to, 'plain');
    if (whole?.end === range.to) return { from, to: range.to };
    if (tokens[from]?.kind !== 'open') return null;
  }
  return null;
}

const tooLong = (range: Range): boolean => range.to - range.from > maxRunTokens;

/**
 * Checks `left = right` over token ranges; null when the left side does no operation,
 * 'unchecked' when a side is too long to parse (see `maxRunTokens`).
 */
function checkPair(
  tokens: readonly Token[],
  leftRange: Range,
  rightRange: Range,
): Omit<Step, 'text' | 'source'> | 'unchecked' | null {
  if (tooLong(leftRange) || tooLong(rightRange)) return 'unchecked';
  const left = leftSide(tokens, leftRange);
  if (!left || !operates(tokens, left)) return null;
  // "15 pages x 1/3 = 5": the left side goes on before the x, so it cannot be checked alone
  if (tokens[left.from - 1]?.x) return null;
  const stated = parseExpression(tokens, rightRange.from, rightRange.to, 'plain');
  if (!stated) return null;
  const lead = tokens[rightRange.from];
  const leadDecimals = lead?.kind === 'num' ? (lead.decimals ?? 0) : null;
  const single = stated.end === rightRange.from + 1 ? leadDecimals : null;
  let ok = false;
  let expected = NaN;
  for (const mode of modes) {
    const l = parseExpression(tokens, left.from, left.to, mode)?.value;
    if (l === undefined) continue;
    if (mode === 'plain') expected = l;
    for (const rightMode of modes) {
      const r = parseExpression(tokens, rightRange.from, stated.end, rightMode)?.value;
      if (r !== undefined && matches(l, r, single)) ok = true;
    }
    // a running chain "2 * 3 = 6 * 2 = 12": the next segment opens with this step's result
    if (lead?.value !== undefined && leadDecimals !== null) {
      const values = lead.percent ? [lead.value, lead.value / 100] : [lead.value];
      if (values.some((v, i) => matches(l, v, leadDecimals + 2 * i))) ok = true;
    }
  }
  const first = tokens[left.from];
  const last = tokens[stated.end - 1];
  if (!first || !last || Number.isNaN(expected)) return null;
  return { start: first.start, end: last.end, expected, stated: stated.value, ok };
}

/** Steps found so far, and whether any part had to be left unchecked. */
interface Found {
  steps: Step[];
  complete: boolean;
}

/** The inline `a op b = c` steps of `text`, read from `blanked` (annotations as spaces). */
function inlineSteps(text: string, blanked: string, found: Found): void {
  const tokens = tokenize(blanked);
  let segments: Range[] = [];
  let from = 0;
  const flush = (to: number): void => {
    segments.push({ from, to });
    for (let i = 1; i < segments.length; i += 1) {
      const [left, right] = [segments[i - 1], segments[i]];
      const step = left && right ? checkPair(tokens, left, right) : null;
      if (step === 'unchecked') found.complete = false;
      else if (step) {
        found.steps.push({ ...step, text: text.slice(step.start, step.end), source: 'inline' });
      }
    }
    segments = [];
  };
  tokens.forEach((token, i) => {
    if (token.kind === 'eq') {
      segments.push({ from, to: i });
      from = i + 1;
    } else if (token.kind === 'break') {
      flush(i);
      from = i + 1;
    }
  });
  flush(tokens.length);
}

/**
 * Annotations checked at most: a GSM8K solution has a handful; past this many the rest are left
 * unchecked (`complete: false`), so a reply of nothing but annotations stays cheap.
 */
const maxAnnotations = 100;

/** GSM8K calculator annotations `<<expr=result>>`, checked like inline steps. */
function annotationSteps(text: string, found: Found): void {
  let seen = 0;
  for (const match of text.matchAll(/<<([^<>=]*)=([^<>=]*)>>/g)) {
    seen += 1;
    if (seen > maxAnnotations) {
      found.complete = false;
      return;
    }
    const [whole, expr = '', result = ''] = match;
    const tokens = tokenize(`${expr}=${result}`);
    const eq = tokens.findIndex((t) => t.kind === 'eq');
    if (eq < 0 || tokens.some((t) => t.kind === 'break')) continue;
    const step = checkPair(tokens, { from: 0, to: eq }, { from: eq + 1, to: tokens.length });
    if (step === 'unchecked') found.complete = false;
    else if (step) {
      const end = match.index + whole.length;
      found.steps.push({ ...step, start: match.index, end, text: whole, source: 'annotation' });
    }
  }
}

/**
 * Every arithmetic step in a solution, recomputed, with the wrong ones flagged by offset.
 * Reads at most `maxCheckedChars`; `complete` is false past that, or where a run was too long.
 */
export function checkSolution(solution: string): CheckResult {
  const text = solution.slice(0, maxCheckedChars);
  const found: Found = { steps: [], complete: text.length === solution.length };
  inlineSteps(text, blankAnnotations(text), found);
  annotationSteps(text, found);
  const steps = found.steps.sort((a, b) => a.start - b.start);
  return { steps, wrong: steps.filter((s) => !s.ok), complete: found.complete };
}

/** What a check that failed outright reports: nothing found, and not complete. */
export const uncheckedResult: CheckResult = { steps: [], wrong: [], complete: false };

/** Vote weight of a solution that shows arithmetic, all of it right. */
export const checkedWeight = 1.5;
/** Vote weight of a solution with at least one wrong step. */
export const wrongWeight = 0.5;

/**
 * How much a solution's answer counts in a weighted vote: `checkedWeight` when it shows
 * arithmetic and all of it is right, `wrongWeight` when any step is wrong, 1 when it shows none
 * or part of it could not be checked.
 */
export function arithmeticWeight(check: CheckResult): number {
  if (check.wrong.length > 0) return wrongWeight;
  return check.steps.length > 0 && check.complete ? checkedWeight : 1;
}
