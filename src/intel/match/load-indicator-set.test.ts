import { describe, expect, it } from 'vitest';
import { HoneyscopeError } from '../../lib/errors.js';
import type { BadIndicator } from '../bad-indicator.js';
import { loadIndicatorSet } from './load-indicator-set.js';

const SILK = '/work/shared/fixtures/intel/silk';

describe('loadIndicatorSet()', () => {
  it('loadIndicatorSet() refuses a binary SiLK IPset in one error, with no skipped-entry warnings', async () => {
    const bad: BadIndicator[] = [];
    await expect(loadIndicatorSet({ files: [`${SILK}/iocs.set`], bad })).rejects.toThrow(
      new HoneyscopeError('HS_INTEL', `Cannot read "${SILK}/iocs.set": it is a binary SiLK file (magic DE AD BE EF), expected text; run "rwsetcat ${SILK}/iocs.set" and give its output instead`),
    );
    expect(bad).toEqual([]);
  });

  it('loadIndicatorSet() reads the rwsetbuild text input of the same set', async () => {
    const bad: BadIndicator[] = [];
    await loadIndicatorSet({ files: [`${SILK}/iocs.txt`], bad });
    expect(bad).toEqual([]);
  });
});
