// Highlight marks: ranges of a solution (its wrong arithmetic) that the renderer wraps in <mark>.
// They travel beside the text, never inside it, so model text cannot forge one.

/** A range of a solution to highlight, in UTF-16 offsets. */
export interface Mark {
  start: number;
  end: number;
}

/** Private-use characters the renderer uses internally as placeholders (see markup.ts). */
export const MATH_OPEN = '\uE000';
export const MATH_CLOSE = '\uE001';
export const MARK_OPEN = '\uE002';
export const MARK_CLOSE = '\uE003';

/**
 * Model text with every placeholder character replaced by U+FFFD, one for one so offsets stay
 * put: whatever the model writes, the renderer reads no placeholder it did not put there itself.
 */
export function neutralize(text: string): string {
  return text.replace(/[\uE000-\uE003]/g, '\uFFFD');
}

/** Wraps each range of `text` in highlight marks (overlapping or out-of-range ones skipped). */
export function markRanges(text: string, ranges: readonly Mark[]): string {
  let out = '';
  let last = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < last || end > text.length || end <= start) continue;
    out += text.slice(last, start) + MARK_OPEN + text.slice(start, end) + MARK_CLOSE;
    last = end;
  }
  return out + text.slice(last);
}
