import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EVENT_CATALOGUE, EVENT_IDS } from './event-ids.js';

describe('EVENT_CATALOGUE', () => {
  const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `([a-z0-9.\-_]+)` \| (.*?) \|/gm)].map((m) => [m[1]!, m[2]!] as const);

  it('is documented in docs/events.md, exactly', () => {
    expect(documented.map(([id]) => id).sort()).toEqual([...EVENT_IDS].sort());
  });

  it('documents the fields of each id as the catalogue lists them', () => {
    for (const [id, fields] of documented) {
      const listed = [...fields.matchAll(/`([a-z_A-Z0-9]+)`/g)].map((m) => m[1]);
      expect(listed, id).toEqual([...EVENT_CATALOGUE[id as keyof typeof EVENT_CATALOGUE].fields]);
    }
  });

  it('keeps Cowrie ids under cowrie. and ours under honeyscope.', () => {
    for (const id of EVENT_IDS) expect(id).toMatch(/^(cowrie|honeyscope)\.[a-z-]+\.[a-z0-9_.]+$/);
  });
});
