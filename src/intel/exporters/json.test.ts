import { describe, expect, it } from 'vitest';
import type { IntelItem } from '../indicator.js';
import { createReport } from './exporter.js';
import { renderJson } from './json.js';

async function collect(gen: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of gen) text += chunk;
  return text;
}

const items: IntelItem[] = [
  { indicator: 'evil.test', type: 'domain', meta: [{ source: 'otx', pulseId: 'p1', pulseName: 'Say "hi", ok', tags: ['x'], active: true, description: 'two\nlines' }] },
];

describe('renderJson()', () => {
  it('renderJson() writes a JSON array of items that parses back to the same items', async () => {
    const text = await collect(renderJson([items], { report: createReport() }));
    expect(JSON.parse(text)).toEqual(items);
    expect(await collect(renderJson([], { report: createReport() }))).toBe('[]\n');
  });
});
