// Sanitizing the render worker's HTML before it reaches the DOM: DOMPurify with Tally's rules.
// Loaded with the first solution rendered (render.ts), so DOMPurify is not in the page's startup.
import DOMPurify from 'dompurify';

let hooked = false;

/** Sanitized HTML: no scripts, handlers, styles sheets, forms, images or non-web links. */
export function sanitize(html: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node instanceof HTMLAnchorElement) {
        if (!/^https?:/i.test(node.getAttribute('href') ?? '')) node.removeAttribute('href');
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true, mathMl: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'video', 'audio', 'source'],
    FORBID_ATTR: ['srcset', 'ping'],
    ADD_ATTR: ['target'],
  });
}
