import { describe, it, expect } from 'vitest';
import { classifyPayload } from './classify-payload.js';
import { headerTells } from './header-tells.js';
import { loadOutboundRules, parseOutboundRules } from './outbound-rules.js';

describe('loadOutboundRules() and classifyPayload()', () => {
  it('classifies the seed\'s requests with the shipped rules', async () => {
    const rules = await loadOutboundRules();
    const http = (host: string, path: string, userAgent?: string): string =>
      classifyPayload({ kind: 'http', port: 80, host, path, method: 'GET', userAgent: userAgent ?? null }, rules);
    expect(http('ipinfo.io', '/')).toBe('check-my-ip');
    expect(http('example.net', '/showmyip.php')).toBe('check-my-ip');
    expect(http('example.net', '/make_url.php')).toBe('url-shortener');
    expect(http('sfbay.craigslist.org', '/reply/eau/m4w/548')).toBe('classifieds');
    expect(http('i.instagram.com', '/api/v1/')).toBe('social-network-api');
    expect(http('x.example', '/GetSignedKey_new1.php', 'Instagram 5.0.0 Windows Phone')).toBe('social-network-api');
    expect(http('www.google.com:80', '/')).toBe('search-engine-check');
    expect(http('unknown.example', '/')).toBe('unexplored');
    expect(classifyPayload({ kind: 'smtp', port: 25 }, rules)).toBe('mail-relay');
    expect(classifyPayload({ kind: 'tls', port: 443, host: 'www.google.com' }, rules)).toBe('encrypted');
    expect(classifyPayload({ kind: 'other', port: 587 }, rules)).toBe('mail-relay');
  });

  it('rejects an unknown key or a bad pattern, naming the file and key', () => {
    expect(() => parseOutboundRules('rules:\n  - category: x\n    colour: red\n', 'my.yaml')).toThrow('Cannot load rules "my.yaml": "rules.0" Unrecognized key: "colour"');
    expect(() => parseOutboundRules('rules:\n  - category: x\n    paths: ["("]\n', 'my.yaml')).toThrow('Cannot load rules "my.yaml: rules.0.paths.0": invalid regular expression "("');
  });

  it('accepts a user rules file with its own default', () => {
    const rules = parseOutboundRules('default: other\nrules:\n  - category: proxy-check\n    ports: [3128]\n', 'mine.yaml');
    expect(classifyPayload({ kind: 'http', port: 3128 }, rules)).toBe('proxy-check');
    expect(classifyPayload({ kind: 'http', port: 80 }, rules)).toBe('other');
  });
});

describe('headerTells()', () => {
  it('flags an https search-engine Referer on plain HTTP (the seed\'s fake Google referers)', () => {
    expect(headerTells([['Host', 'goo.gl'], ['Referer', 'https://www.google.com/'], ['Accept', '*/*'], ['User-Agent', 'Mozilla/5.0']])).toEqual(['https-referer-on-http']);
  });

  it('flags X-Requested-With from a client that is no browser', () => {
    expect(headerTells([['X-Requested-With', 'XMLHttpRequest'], ['User-Agent', 'Mozilla/5.0 (Nintendo WiiU)']])).toEqual([
      'x-requested-with-non-browser',
      'user-agent-contradiction',
    ]);
    expect(headerTells([['X-Requested-With', 'XMLHttpRequest']])).toEqual(['x-requested-with-non-browser']);
  });

  it('flags an app User-Agent sending browser-only headers, and nothing for a plain request', () => {
    expect(headerTells([['User-Agent', 'Instagram 5.0.0 Windows Phone'], ['Referer', 'http://x/']])).toEqual(['user-agent-contradiction']);
    expect(headerTells([['Host', 'google.com']])).toEqual([]);
  });
});
