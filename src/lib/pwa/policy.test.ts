import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  directiveSources,
  headerRules,
  headersFile,
  headersFor,
  originAllowed,
  parseOrigins,
  parseSources,
  sourcesAllow,
  type PolicyConfig,
} from './policy';

const open: PolicyConfig = { embedOrigins: [] };

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('parseOrigins', () => {
  it('reads comma- and space-separated origins and drops a trailing slash', () => {
    expect(
      parseOrigins('https://a.example, https://b.example:8443/ http://localhost:3000'),
    ).toEqual(['https://a.example', 'https://b.example:8443', 'http://localhost:3000']);
    expect(parseOrigins(undefined)).toEqual([]);
    expect(parseOrigins('  ')).toEqual([]);
    expect(parseOrigins('https://*.example.edu')).toEqual(['https://*.example.edu']);
  });

  it('refuses what is not an http(s) origin', () => {
    expect(() => parseOrigins('https://a.example/path')).toThrow(/not an origin/);
    expect(() => parseOrigins('ftp://a.example')).toThrow(/not an origin/);
    expect(() => parseOrigins('a.example')).toThrow(/not an origin/);
    expect(() => parseOrigins("https://a.example; script-src 'unsafe-inline'")).toThrow();
  });
});

describe('parseSources', () => {
  it('is undefined when unset and refuses keywords and separators', () => {
    expect(parseSources(undefined)).toBeUndefined();
    expect(parseSources('')).toBeUndefined();
    expect(parseSources('https://models.example.edu https://*.example.org')).toEqual([
      'https://models.example.edu',
      'https://*.example.org',
    ]);
    expect(() => parseSources("'unsafe-eval'")).toThrow();
    expect(() => parseSources('https://a.example;')).toThrow();
  });
});

describe('originAllowed', () => {
  it('allows any origin when the list is empty', () => {
    expect(originAllowed('https://anyone.example', [])).toBe(true);
  });

  it('matches exact origins and subdomain wildcards, never lookalikes', () => {
    const list = ['https://course.example.edu', 'https://*.school.example'];
    expect(originAllowed('https://course.example.edu', list)).toBe(true);
    expect(originAllowed('http://course.example.edu', list)).toBe(false);
    expect(originAllowed('https://course.example.edu:8443', list)).toBe(false);
    expect(originAllowed('https://a.school.example', list)).toBe(true);
    expect(originAllowed('https://a.b.school.example', list)).toBe(true);
    expect(originAllowed('https://school.example', list)).toBe(false);
    expect(originAllowed('https://evilschool.example', list)).toBe(false);
    expect(originAllowed('null', list)).toBe(false);
    expect(originAllowed('https://course.example.edu/', list)).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts from Tally and WebAssembly, nothing inline, no plugins', () => {
    const d = directives(contentSecurityPolicy('app', open));
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('lets the open default reach any http(s) host, and a list lock it down', () => {
    expect(directives(contentSecurityPolicy('app', open)).get('connect-src')).toEqual([
      "'self'",
      'https:',
      'http:',
    ]);
    const locked = directives(
      contentSecurityPolicy('app', { embedOrigins: [], connectSrc: ['https://llm.example.edu'] }),
    ).get('connect-src');
    expect(locked).toContain('https://huggingface.co');
    expect(locked).toContain('https://raw.githubusercontent.com');
    expect(locked).toContain('https://llm.example.edu');
    expect(locked).not.toContain('https:');
  });

  it('leaves frame-ancestors out of a meta policy, and the widget open unless a list is set', () => {
    expect(contentSecurityPolicy('app', open, 'meta')).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy('widget', open)).not.toContain('frame-ancestors');
    const limited = contentSecurityPolicy('widget', {
      embedOrigins: ['https://course.example.edu'],
    });
    expect(directives(limited).get('frame-ancestors')).toEqual([
      "'self'",
      'https://course.example.edu',
    ]);
  });

  it('lets the engine worker compile WebAssembly and fetch models', () => {
    const d = directives(contentSecurityPolicy('worker', open));
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('connect-src')).toContain('https:');
  });

  it('lets the program worker reach its own origin only, whatever hosts the engine may reach', () => {
    for (const config of [open, { embedOrigins: [], connectSrc: ['https://models.example'] }]) {
      const d = directives(contentSecurityPolicy('sandbox', config));
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(d.get('connect-src')).toEqual(["'self'"]);
    }
  });
});

describe('headers', () => {
  const rules = headerRules({ embedOrigins: ['https://course.example.edu'] });

  it('gives each page exactly its own policy', () => {
    expect(headersFor(rules, '/')['Content-Security-Policy']).toContain("frame-ancestors 'self'");
    expect(headersFor(rules, '/embed.html')['Content-Security-Policy']).toContain(
      'https://course.example.edu',
    );
    expect(headersFor(rules, '/sw.js')['Cache-Control']).toBe('no-cache');
    expect(headersFor(rules, '/assets/app-1.js')['Cache-Control']).toContain('immutable');
    const sandbox = headersFor(rules, '/sandbox/program.worker-1.js');
    expect(directiveSources(sandbox['Content-Security-Policy'] ?? '', 'connect-src')).toEqual([
      "'self'",
    ]);
    expect(sandbox['Cache-Control']).toContain('immutable');
    expect(headersFor(rules, '/embed.js')['Cross-Origin-Resource-Policy']).toBe('cross-origin');
    expect(headersFor(rules, '/embed.js')['Content-Security-Policy']).toBeUndefined();
  });

  it('writes a _headers file: a path line, then indented headers', () => {
    const text = headersFile(rules);
    expect(text).toContain('/embed.html\n  Content-Security-Policy: ');
    expect(text).toContain('/sw.js\n  Content-Security-Policy: ');
    expect(text.split('\n').filter((l) => l.startsWith('/'))).toHaveLength(rules.length);
  });
});

describe('sourcesAllow', () => {
  const self = new URL('https://tally.example.org/');
  const allows = (sources: string[], url: string) => sourcesAllow(sources, new URL(url), self);
  const locked = directiveSources(
    contentSecurityPolicy('app', { embedOrigins: [], connectSrc: ['http://localhost:*'] }),
    'connect-src',
  );

  it('reads one directive of a policy', () => {
    expect(
      directiveSources("default-src 'self'; connect-src 'self' https:", 'connect-src'),
    ).toEqual(["'self'", 'https:']);
    expect(directiveSources("default-src 'self'", 'connect-src')).toBeUndefined();
  });

  it('lets the open default reach servers anywhere, loopback and local network included', () => {
    const open = directiveSources(
      contentSecurityPolicy('app', { embedOrigins: [] }),
      'connect-src',
    );
    for (const url of [
      'http://localhost:11434/v1',
      'http://192.168.1.20:11434/v1',
      'https://llm.example.edu/v1',
    ]) {
      expect(allows(open ?? [], url)).toBe(true);
    }
  });

  it('holds a locked policy to its list', () => {
    expect(allows(locked ?? [], 'http://localhost:11434/v1')).toBe(true);
    expect(allows(locked ?? [], 'https://huggingface.co/x')).toBe(true);
    expect(allows(locked ?? [], 'https://cdn-lfs.hf.co/x')).toBe(true);
    expect(allows(locked ?? [], 'https://tally.example.org/data')).toBe(true);
    expect(allows(locked ?? [], 'http://192.168.1.20:11434/v1')).toBe(false);
    expect(allows(locked ?? [], 'https://llm.example.edu/v1')).toBe(false);
    expect(allows(locked ?? [], 'https://hf.co.evil.example/x')).toBe(false);
  });

  it('matches ports, default ports and the http-to-https upgrade as CSP does', () => {
    expect(allows(['http://llm.lan:8000'], 'http://llm.lan:8000/v1')).toBe(true);
    expect(allows(['http://llm.lan:8000'], 'http://llm.lan:8001/v1')).toBe(false);
    expect(allows(['http://llm.lan'], 'http://llm.lan/v1')).toBe(true);
    expect(allows(['http://llm.lan'], 'https://llm.lan/v1')).toBe(true);
    expect(allows(['https://llm.lan'], 'http://llm.lan/v1')).toBe(false);
    expect(allows(["'none'"], 'https://llm.lan/v1')).toBe(false);
    expect(allows(['*'], 'http://llm.lan/v1')).toBe(true);
  });
});
