import { readFile } from 'node:fs/promises';
import { HoneyscopeError } from '../lib/errors.js';
import type { AlertRule } from './alert-rule.js';
import { parseAlertRules } from './alert-rule.js';
import { builtinRules } from './builtin-rules.js';

/** The built-in rules (unless turned off) followed by the rules of each file; ids must be unique across all. */
export async function loadAlertRules(files: readonly string[], options: { builtin: boolean }): Promise<AlertRule[]> {
  const rules = options.builtin ? builtinRules() : [];
  const ids = new Map(rules.map((r) => [r.id, 'the built-in rules']));
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new HoneyscopeError('HS_CONFIG_NOT_FOUND', `Cannot read alert rules "${file}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
    for (const rule of parseAlertRules(text, file)) {
      const other = ids.get(rule.id);
      if (other !== undefined) throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load alert rules "${file}": rule id "${rule.id}" is already defined in ${other}`);
      ids.set(rule.id, `"${file}"`);
      rules.push(rule);
    }
  }
  return rules;
}
