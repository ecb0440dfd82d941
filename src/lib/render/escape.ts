// The one way rendering turns text into HTML text: shared by the render worker and the page.
// Kept apart from markup.ts so the page can use it without loading marked or KaTeX.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `text` with each bidirectional control character (which would reorder what follows it:
 * "\u202E24" shows as 42) written out as its code point, so text shows as it reads.
 */
export function showControls(text: string): string {
  return text.replace(
    /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g,
    (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`,
  );
}

/**
 * Characters in one block of plain text. The page lays out only the blocks on screen
 * (`content-visibility: auto` in rendered.svelte), so 100 KB costs it a few blocks, not all.
 */
export const plainBlockChars = 2_000;

/**
 * `text` cut into blocks of at most `plainBlockChars`, each after a line end where one is near,
 * else after a space, else between two characters (never inside a surrogate pair).
 */
function blocks(text: string): string[] {
  const out: string[] = [];
  const near = plainBlockChars / 4;
  let from = 0;
  while (text.length - from > plainBlockChars) {
    const limit = from + plainBlockChars;
    const window = text.slice(limit - near, limit);
    const line = window.lastIndexOf('\n');
    const space = line < 0 ? window.lastIndexOf(' ') : line;
    const split = /[\uD800-\uDBFF]/.test(text[limit - 1] ?? '') ? limit - 1 : limit;
    const end = space < 0 ? split : limit - near + space + 1;
    out.push(text.slice(from, end));
    from = end;
  }
  out.push(text.slice(from));
  return out;
}

/**
 * A solution shown as plain text, when rendering it failed or was refused: blocks that keep its
 * spaces and line ends (rendered.svelte), `<div>`s and not `<pre>`s, whose parser drops a first
 * line end.
 */
export function plainHtml(text: string, notice?: string): string {
  const note = notice === undefined ? '' : `<p class="render-notice">${escapeHtml(notice)}</p>`;
  return `${note}<div class="plain">${blocks(text)
    .map((block) => `<div>${escapeHtml(block)}</div>`)
    .join('')}</div>`;
}
