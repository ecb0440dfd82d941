// The one way rendering turns text into HTML text: shared by the render worker and the page.
// Kept apart from markup.ts so the page can use it without loading marked or KaTeX.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A solution shown as plain preformatted text, when rendering it failed or was refused. */
export function plainHtml(text: string, notice?: string): string {
  const note = notice === undefined ? '' : `<p class="render-notice">${escapeHtml(notice)}</p>`;
  return `${note}<pre>${escapeHtml(text)}</pre>`;
}
