// Which sites the deployer lets embed the widget: VITE_TALLY_EMBED_ORIGINS, read at build time.
// vite.config.ts parses the same variable first, so a malformed list fails the build, not a page.
import { parseOrigins } from './pwa/policy';

/**
 * Origins allowed to embed the widget (`https://course.example.edu`, `https://*.example.edu`);
 * empty means any site may. The widget refuses to run inside any other, and the server's
 * `frame-ancestors` header (see `dist/_headers`) stops browsers from framing it at all.
 */
export const embedOrigins: readonly string[] = parseOrigins(
  import.meta.env.VITE_TALLY_EMBED_ORIGINS as string | undefined,
);
