import { describe, expect, it } from 'vitest';
import { downloadTarget, wgetClock } from './download-target.js';

describe('downloadTarget()', () => {
  it('adds http:// to a bare host and names the file after the path', () => {
    expect(downloadTarget('1.2.3.4/bins/x86')).toEqual({ url: 'http://1.2.3.4/bins/x86', host: '1.2.3.4', port: 80, fileName: 'x86' });
  });

  it('keeps the scheme and port and falls back to index.html', () => {
    expect(downloadTarget('https://evil.example:8443/')).toEqual({ url: 'https://evil.example:8443/', host: 'evil.example', port: 8443, fileName: 'index.html' });
  });

  it('returns undefined for text that is no URL', () => {
    expect(downloadTarget('http://')).toBeUndefined();
    expect(downloadTarget('http://exa mple.com/x')).toBeUndefined();
  });
});

describe('wgetClock()', () => {
  it('formats UTC time as wget prints it', () => {
    expect(wgetClock(Date.UTC(2026, 10, 28, 17, 6, 29))).toBe('2026-11-28 17:06:29');
  });
});
