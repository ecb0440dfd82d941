// Numbers as Tally writes them, without Intl: the page's first Intl call (toLocaleString) costs
// its thread 30–60 ms to load number formatting, and startup shows a count (solve-panel.svelte).

/** A whole number with commas between thousands, as en-US writes it: 12,500; -40,000. */
export function grouped(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  return `${n <= -0.5 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+$)/g, ',')}`;
}

/** A count and its noun, agreeing: "1 line", "2 lines", "4,100 characters". */
export function counted(n: number, one: string): string {
  return `${grouped(n)} ${one}${n === 1 ? '' : 's'}`;
}

/** `text` with its first letter a capital, to begin a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
