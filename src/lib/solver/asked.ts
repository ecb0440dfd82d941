// What a word problem tells answer extraction: the numbers it states (conditions, not the result),
// the unit it asks for ("How many years…") and whether it asks for a time of day ("What time…").
import { findNumbers, type NumberMatch } from './numbers';
import { sameRational, type Rational } from './rational';

export interface Asked {
  /** every number the question states, in digits or words ("three weeks", "5:00 pm" gives 5 and 0) */
  stated: Rational[];
  /** the unit its asking sentence names ("year" for "How many years…", "in dollars?"), or null */
  unit: string | null;
  /** it asks for a time of day ("What time…", "At what hour…") */
  hour: boolean;
}

/** Units a closing sentence may convert between, by what they measure. */
const dimensions = {
  time: ['second', 'minute', 'hour', 'day', 'week', 'month', 'year', 'decade'],
  length: ['inch', 'foot', 'yard', 'mile', 'millimeter', 'centimeter', 'meter', 'kilometer'],
  weight: ['ounce', 'pound', 'gram', 'kilogram', 'ton'],
  volume: ['cup', 'pint', 'quart', 'gallon', 'milliliter', 'liter'],
  money: ['cent', 'dollar'],
};

const dimensionOf = new Map(
  Object.entries(dimensions).flatMap(([dimension, units]) => units.map((u) => [u, dimension])),
);

const abbreviations: Record<string, string> = {
  sec: 'second',
  secs: 'second',
  min: 'minute',
  mins: 'minute',
  hr: 'hour',
  hrs: 'hour',
  mm: 'millimeter',
  cm: 'centimeter',
  km: 'kilometer',
  ft: 'foot',
  feet: 'foot',
  oz: 'ounce',
  lb: 'pound',
  lbs: 'pound',
  kg: 'kilogram',
  ml: 'milliliter',
};

/** The unit a word names ("years", "hrs", "litres"), or null for any other word. */
export function unitOf(word: string): string | null {
  const lower = word.toLowerCase();
  const unit = abbreviations[lower] ?? lower.replace(/(?<=inch)es$|s$/, '').replace(/tre$/, 'ter');
  return dimensionOf.has(unit) ? unit : null;
}

/** The unit a number is written in: "$42" is dollars, "72 months" months, "6 more hours" hours. */
export function unitAfter(line: string, n: NumberMatch): string | null {
  if (line.slice(n.start, n.end).includes('$')) return 'dollar';
  const word =
    /^\s*(?:more\s+|fewer\s+|less\s+|extra\s+|additional\s+|whole\s+|full\s+)?([a-z]+)/i.exec(
      line.slice(n.end, n.end + 40),
    );
  return word?.[1] ? unitOf(word[1]) : null;
}

/** Whether two units measure the same thing (months and years, cents and dollars). */
export function convertible(a: string, b: string): boolean {
  return a !== b && dimensionOf.get(a) === dimensionOf.get(b);
}

/** The question's reading; an empty question states nothing and asks for nothing in particular. */
export function readQuestion(question: string): Asked {
  const asking =
    question
      .trim()
      .split(/(?<=[.?!])\s+/)
      .pop() ?? '';
  const named = [
    ...asking.matchAll(
      /\bhow\s+many\s+(?:more\s+|fewer\s+|less\s+|total\s+|extra\s+|additional\s+)?([a-z]+)/gi,
    ),
    ...asking.matchAll(/\bin\s+([a-z]+)\s*[?.!,)]/gi),
  ];
  return {
    stated: findNumbers(question).map((n) => n.value),
    unit: named.map((m) => unitOf(m[1] ?? '')).find((u) => u !== null) ?? null,
    hour: /\b(?:what|which)\s+(?:[a-z]+\s+){0,3}?(?:time|hour)\b|\bo['’]clock\b/i.test(asking),
  };
}

/** Whether the question states this number. */
export function stated(asked: Asked, n: NumberMatch): boolean {
  return asked.stated.some((v) => sameRational(v, n.value));
}
