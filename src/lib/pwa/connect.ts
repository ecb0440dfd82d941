// Whether this page's content security policy lets it call a server, asked before a connection,
// so a blocked server is named as such instead of looking unreachable.
import { directiveSources, sourcesAllow } from './policy';

/** The page's policy, from the `<meta>` tag every Tally page carries (vite.config.ts). */
function pagePolicy(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return (
    document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy"]')
      ?.content ?? undefined
  );
}

/** Why this page may not call `href`, for people; undefined when its policy allows it. */
export function connectBlocked(href: string): string | undefined {
  const policy = pagePolicy();
  const url = new URL(href);
  if (policy === undefined) return undefined;
  const sources =
    directiveSources(policy, 'connect-src') ?? directiveSources(policy, 'default-src');
  if (!sources || sourcesAllow(sources, url, new URL(location.href))) return undefined;
  return `This Tally's content security policy (connect-src) does not allow ${url.origin}, so the browser blocks every request to it. Whoever runs this Tally can add that origin to VITE_TALLY_CONNECT_SRC and build again; or run Tally yourself (npm start), which allows any server.`;
}
