// The answer Tally stands behind, and how the parts that answered relate: which agree, which
// differ, which failed. One place for the rule, so the Solve page, History and the benchmark's
// calibration (bench/calibration.ts) group answers the same way. Pure; never throws.
import { defaultAggregation, type Aggregate, type AggregationName } from './aggregate';
import { answersEqual } from './equal';
import { capitalized } from '../format';

/** The parts of a solve that can give an answer, in the order the page shows them. */
export type PartName = 'single' | 'program' | 'vote';

export const partNames: readonly PartName[] = ['single', 'program', 'vote'];

/** One part's outcome. */
export interface Part {
  name: PartName;
  /** its answer, or null when it gave none */
  answer: string | null;
  /** why it gave none, in a few plain words ("raised an error: NameError …"); null otherwise */
  failure?: string | null;
}

export const partWords: Record<PartName, string> = {
  single: 'the single call',
  program: 'the program',
  vote: 'the vote',
};

/**
 * Whose answer Tally gives when parts differ: the vote (it weighs many samples) over the program
 * (Python does its arithmetic) over the single call. Only parts with an answer count.
 */
const preference: readonly PartName[] = ['vote', 'program', 'single'];

/** The part whose answer Tally stands behind, or undefined when none gave one. */
export function chosenPart(parts: readonly Part[]): Part | undefined {
  for (const name of preference) {
    const part = parts.find((p) => p.name === name && p.answer !== null);
    if (part) return part;
  }
  return undefined;
}

/** The parts that gave an answer, grouped by answer, each group in page order. */
function groups(parts: readonly Part[]): Part[][] {
  const out: Part[][] = [];
  for (const name of partNames) {
    const part = parts.find((p) => p.name === name && p.answer !== null);
    if (!part) continue;
    const group = out.find((g) => answersEqual(g[0]?.answer ?? null, part.answer));
    if (group) group.push(part);
    else out.push([part]);
  }
  return out;
}

/**
 * The agreement pattern of the parts that answered, as a stable key: agreeing parts joined by
 * "=", groups by "≠", in page order ("single=program=vote", "single=vote≠program", "vote");
 * "none" when no part answered. Failed parts are left out: only answers that exist are compared.
 */
export function agreementPattern(parts: readonly Part[]): string {
  const found = groups(parts);
  if (found.length === 0) return 'none';
  return found.map((g) => g.map((p) => p.name).join('=')).join('≠');
}

/** "a", "a and b", "a, b and c" */
export function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A pattern key in words: "the single call and the vote agreed", "only the vote answered". */
export function patternWords(pattern: string): string {
  if (pattern === 'none') return 'no part gave an answer';
  const found = pattern.split('≠').map((g) => g.split('=').map((n) => partWords[n as PartName]));
  const [first = []] = found;
  if (found.length === 1) {
    if (first.length === 1) return `only ${first[0] ?? ''} answered`;
    return `${listed(first)} ${first.length > 2 ? 'all ' : ''}agreed`;
  }
  if (found.every((g) => g.length === 1)) {
    return `${listed(found.flat())} ${found.length > 2 ? 'all ' : ''}differed`;
  }
  const together = found.find((g) => g.length > 1) ?? first;
  const apart = found.filter((g) => g !== together).flat();
  return `${listed(together)} agreed, ${listed(apart)} differed`;
}

const samples = (n: number) => `${n} sample${n === 1 ? '' : 's'}`;

/** The aggregation whose answer is the vote's: the default one, or the majority standing in. */
export function decidingRule(aggregates: Record<AggregationName, Aggregate>): AggregationName {
  return aggregates[defaultAggregation].available ? defaultAggregation : 'majority';
}

/**
 * The vote in one sentence: "4 of 5 samples said 18." or, when weighing by confidence changed the
 * winner, "3 samples said 19 but were unsure; the 2 confident ones said 18."
 */
export function voteSentence(aggregates: Record<AggregationName, Aggregate>): string {
  const majority = aggregates.majority.vote;
  const decided = aggregates[decidingRule(aggregates)];
  const answer = decided.answer;
  if (answer === null) return 'No sample gave an answer.';
  const top = majority.buckets[0];
  const mine = majority.buckets.find((b) => answersEqual(b.answer, answer));
  if (top && !answersEqual(top.answer, answer)) {
    return `${samples(top.count)} said ${top.answer} but were unsure; the ${mine?.count ?? 0} confident ${(mine?.count ?? 0) === 1 ? 'one' : 'ones'} said ${answer}.`;
  }
  if (mine && mine.count === majority.valid) {
    return majority.valid === 1
      ? `The one sample that answered said ${answer}.`
      : `All ${majority.valid} samples said ${answer}.`;
  }
  return `${mine?.count ?? 0} of ${majority.valid} samples said ${answer}.`;
}

/** Why Tally takes `chosen` over the parts that differ from it. */
const because: Record<PartName, string> = {
  vote: 'it weighs many samples, not one',
  program: 'Python did its arithmetic',
  single: 'it is the only answer',
};

/**
 * The story of a finished solve in plain sentences: what failed, which parts agree, and when they
 * differ what each says and why Tally chose as it did.
 */
export function storySentence(parts: readonly Part[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p.answer === null) {
      out.push(
        `${capitalized(partWords[p.name])} ${p.failure ? `failed: ${p.failure}` : 'gave no answer'}.`,
      );
    }
  }
  const found = groups(parts);
  const chosen = chosenPart(parts);
  if (!chosen) {
    out.push('No part gave an answer.');
  } else if (found.length === 1) {
    const names = (found[0] ?? []).map((p) => partWords[p.name]);
    out.push(
      names.length === 1
        ? `Only ${names[0] ?? ''} gave an answer: ${chosen.answer ?? ''}.`
        : `${capitalized(listed(names))} ${names.length === 2 ? 'both' : 'all'} say ${chosen.answer ?? ''}.`,
    );
  } else {
    const said = found.map(
      (g) =>
        `${listed(g.map((p) => partWords[p.name]))} ${g.length > 1 ? 'say' : 'says'} ${g[0]?.answer ?? ''}`,
    );
    out.push(
      `${capitalized(listed(said))}. Tally goes with ${partWords[chosen.name]}: ${because[chosen.name]}.`,
    );
  }
  return out.join(' ');
}
