// Tally's security headers and content security policy, built from the deployer's config: used by
// vite.config.ts (meta tags, preview headers, dist/_headers). Pure; throws on a malformed origin.

/** What a deployer decides at build time. */
export interface PolicyConfig {
  /** origins allowed to frame the widget (`embed.html`); empty means any site may */
  embedOrigins: readonly string[];
  /**
   * Extra `connect-src` sources. Undefined (the default) allows any http(s) host, because a person
   * may type any model host or server URL, including a plain-http server on their own network; a
   * list locks Tally to Hugging Face, GitHub's raw host, 'self' and exactly these sources.
   */
  connectSrc?: readonly string[] | undefined;
}

/** Where catalog models live: Hugging Face (and the CDN hosts it redirects to), GitHub raw. */
export const modelHosts = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'https://raw.githubusercontent.com',
] as const;

/** Which document or worker a policy is for; 'sandbox' is the program worker (Pyodide). */
export type PolicyTarget = 'app' | 'widget' | 'worker' | 'sandbox' | 'service-worker';

/** The folder the program worker's script is built into, so that it gets its own policy. */
export const sandboxFolder = 'sandbox';

const originPattern =
  /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?$/;

/**
 * Reads a comma- or space-separated list of origins (`https://course.example.edu`,
 * `https://*.example.edu` for its subdomains). A trailing slash is dropped.
 * @throws Error naming the first entry that is not an http(s) origin
 */
export function parseOrigins(text: string | undefined): string[] {
  const entries = (text ?? '').split(/[\s,]+/).filter((e) => e !== '');
  return entries.map((entry) => {
    const origin = entry.toLowerCase().replace(/\/$/, '');
    if (!originPattern.test(origin)) {
      throw new Error(
        `“${entry}” is not an origin: write scheme://host[:port], e.g. https://course.example.edu`,
      );
    }
    return origin;
  });
}

/** Reads a space-separated list of CSP sources; refuses quotes and semicolons (no keywords). */
export function parseSources(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const sources = text.trim().split(/\s+/);
  for (const s of sources) {
    if (/[;,'"]/.test(s)) throw new Error(`“${s}” is not a CSP host source`);
  }
  return sources;
}

/** Whether `origin` is in `allowed` (exactly, or under a `*.` wildcard); any origin when empty. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  return allowed.some((entry) => {
    if (!entry.includes('://*.')) return entry === origin;
    const [scheme, rest] = entry.split('://*.');
    const [host, port] = (rest ?? '').split(':');
    return (
      url.protocol === `${scheme ?? ''}:` &&
      url.hostname.endsWith(`.${host ?? ''}`) &&
      url.port === (port ?? '')
    );
  });
}

/**
 * Local servers (Ollama, vLLM, llama.cpp) speak plain http, on loopback or elsewhere on the
 * person's network. `http:` allows both, and costs little beside `https:`: an https page still
 * cannot reach a public plain-http host (mixed content), only a local-network one, and only after
 * the person allows local network access (docs/ARCHITECTURE.md, "Servers on your own network").
 */
function connectSources(config: PolicyConfig): string[] {
  if (config.connectSrc === undefined) return ["'self'", 'https:', 'http:'];
  return ["'self'", ...modelHosts, ...config.connectSrc];
}

/** One directive's sources in a policy; undefined when the policy does not have it. */
export function directiveSources(policy: string, name: string): string[] | undefined {
  for (const directive of policy.split(';')) {
    const [directiveName, ...sources] = directive.trim().split(/\s+/);
    if (directiveName?.toLowerCase() === name) return sources;
  }
  return undefined;
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };
const portOf = (url: URL) => url.port || defaultPorts[url.protocol] || '';
const hostSource =
  /^(?:([a-z][a-z\d+.-]*):\/\/)?(\*\.)?([^/:]+|\[[^\]]+\])(?::(\d+|\*))?(?:\/.*)?$/i;

/**
 * Whether one directive's `sources` let a page at `self` reach `url` (an http or https URL), by
 * CSP Level 3 matching of 'self', '*', scheme and host sources. An http source also matches https
 * on the same host (CSP's upgrade rule); paths are not compared.
 */
export function sourcesAllow(sources: readonly string[], url: URL, self: URL): boolean {
  const schemeMatches = (scheme: string) =>
    url.protocol === scheme || (scheme === 'http:' && url.protocol === 'https:');
  return sources.some((raw) => {
    const source = raw.toLowerCase();
    if (source === "'self'") return url.origin === self.origin;
    if (source === '*') return true;
    if (/^[a-z][a-z\d+.-]*:$/.test(source)) return schemeMatches(source);
    const match = hostSource.exec(source);
    if (!match || source.startsWith("'")) return false;
    const [, scheme, wildcard, host = '', port] = match;
    if (!schemeMatches(scheme ? `${scheme}:` : self.protocol)) return false;
    const hostname = url.hostname.toLowerCase();
    if (wildcard ? !hostname.endsWith(`.${host}`) : hostname !== host) return false;
    if (port === '*') return true;
    const wanted = port ?? defaultPorts[scheme ? `${scheme}:` : url.protocol];
    return portOf(url) === wanted || (wanted === '80' && portOf(url) === '443');
  });
}

/**
 * The content security policy for one target. `delivery: 'meta'` leaves out what a `<meta>` tag
 * cannot carry (`frame-ancestors`); the HTTP header carries it.
 */
export function contentSecurityPolicy(
  target: PolicyTarget,
  config: PolicyConfig,
  delivery: 'header' | 'meta' = 'header',
): string {
  const connect = connectSources(config).join(' ');
  if (target === 'service-worker') {
    return "default-src 'none'; script-src 'self'; connect-src 'self'";
  }
  if (target === 'sandbox') {
    // Pyodide fetches its own runtime files (/pyodide/<version>/) into the worker before any
    // program runs, so the worker needs its own origin and nothing else; a program cannot fetch
    // at all (the sandbox deletes fetch, XMLHttpRequest, WebSocket, importScripts).
    return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
  }
  if (target === 'worker') {
    // web-llm compiles its model library and tokenizer with WebAssembly in the engine worker.
    return `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src ${connect}`;
  }
  const directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src ${connect}`,
    "style-src 'self'",
    // KaTeX positions glyphs with style attributes; no <style> element or stylesheet is allowed.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "manifest-src 'self'",
    target === 'app' ? "frame-src 'self'" : "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ];
  if (delivery === 'header') {
    if (target === 'app') directives.push("frame-ancestors 'self'");
    else if (config.embedOrigins.length > 0) {
      directives.push(`frame-ancestors 'self' ${config.embedOrigins.join(' ')}`);
    }
  }
  return directives.join('; ');
}

/** One rule of a `_headers` file: a path (exact, or ending in `*`) and the headers it gets. */
export interface HeaderRule {
  path: string;
  headers: Record<string, string>;
}

/** Every header Tally's files need, by path; each path gets at most one CSP. */
export function headerRules(config: PolicyConfig): HeaderRule[] {
  const csp = (target: PolicyTarget) => ({
    'Content-Security-Policy': contentSecurityPolicy(target, config),
  });
  const app = csp('app');
  const widget = csp('widget');
  return [
    {
      path: '/*',
      headers: {
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
      },
    },
    { path: '/', headers: app },
    { path: '/index.html', headers: app },
    { path: '/embed', headers: widget },
    { path: '/embed.html', headers: widget },
    {
      path: '/assets/*',
      headers: { ...csp('worker'), 'Cache-Control': 'public, max-age=31536000, immutable' },
    },
    {
      path: `/${sandboxFolder}/*`,
      headers: { ...csp('sandbox'), 'Cache-Control': 'public, max-age=31536000, immutable' },
    },
    { path: '/sw.js', headers: { ...csp('service-worker'), 'Cache-Control': 'no-cache' } },
    {
      path: '/embed.js',
      headers: { 'Cache-Control': 'no-cache', 'Cross-Origin-Resource-Policy': 'cross-origin' },
    },
  ];
}

/** Whether a `_headers` path pattern matches a request path. */
export function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/** The headers for one request path: every matching rule, in order. */
export function headersFor(rules: readonly HeaderRule[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) if (pathMatches(rule.path, path)) Object.assign(out, rule.headers);
  return out;
}

/** The rules as a `_headers` file (Netlify and Cloudflare Pages read it; others: copy by hand). */
export function headersFile(rules: readonly HeaderRule[]): string {
  const blocks = rules.map(
    (rule) =>
      `${rule.path}\n${Object.entries(rule.headers)
        .map(([name, value]) => `  ${name}: ${value}`)
        .join('\n')}`,
  );
  return `# Written by vite build from vite.config.ts (src/lib/pwa/policy.ts): do not edit.\n${blocks.join('\n')}\n`;
}
