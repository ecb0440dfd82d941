import { describe, expect, it } from 'vitest';
import { siteOf } from './storage-access';

describe('siteOf', () => {
  it('keys by scheme and registrable domain, as storage partitioning does', () => {
    expect(siteOf('https://course.example.edu')).toBe('https://example.edu');
    expect(siteOf('https://a.b.example.com:8443')).toBe('https://example.com');
    expect(siteOf('http://example.com')).not.toBe(siteOf('https://example.com'));
  });

  it('keeps hosts without a domain whole: localhost and IP addresses', () => {
    expect(siteOf('http://localhost:4173')).toBe('http://localhost');
    expect(siteOf('http://127.0.0.1:5000')).toBe('http://127.0.0.1');
    expect(siteOf('http://127.0.0.1:5000')).not.toBe(siteOf('http://localhost:5000'));
    expect(siteOf('http://[::1]:8080')).toBe('http://[::1]');
  });
});
