// Highlight marks travel inside solution text to the render worker, which turns them into <mark>.
// Kept apart from markup.ts so the page can mark text without loading marked or KaTeX.

/** Private-use characters: a model never writes them, and they survive markdown untouched. */
export const MARK_OPEN = '\uE002';
export const MARK_CLOSE = '\uE003';

/** Wraps each range of `text` in highlight marks (UTF-16 offsets; overlapping ones skipped). */
export function markRanges(
  text: string,
  ranges: readonly { start: number; end: number }[],
): string {
  let out = '';
  let last = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < last || end > text.length || end <= start) continue;
    out += text.slice(last, start) + MARK_OPEN + text.slice(start, end) + MARK_CLOSE;
    last = end;
  }
  return out + text.slice(last);
}
