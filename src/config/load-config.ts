import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { HoneyscopeError } from '../lib/errors.js';
import { configSchema, type ResolvedConfig } from './schema.js';

export const ENV_PREFIX = 'HONEYSCOPE_';

const DEFAULTS: ResolvedConfig = configSchema.parse({});

export interface LoadConfigOptions {
  /** Config files, later ones overriding earlier ones; a missing file is an error. */
  files?: string[];
  /** Environment (HONEYSCOPE_SECTION_KEY=value); defaults to none. */
  env?: Record<string, string | undefined>;
  /** Values from command-line flags, applied last. */
  overrides?: Record<string, Record<string, unknown>>;
}

/**
 * Builds the resolved config: defaults, then each file, then the environment,
 * then flags. A wrong value stops here with a message naming where it came from,
 * the key, the value and what was expected.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  let merged: Record<string, unknown> = {};
  for (const file of options.files ?? []) {
    const raw = readConfigFile(file);
    validate(raw, `config file "${file}"`);
    merged = deepMerge(merged, raw);
  }
  const fromEnv = envToConfig(options.env ?? {});
  if (Object.keys(fromEnv).length > 0) {
    validate(fromEnv, 'environment');
    merged = deepMerge(merged, fromEnv);
  }
  if (options.overrides) {
    validate(options.overrides, 'command line');
    merged = deepMerge(merged, options.overrides);
  }
  return validate(merged, 'config');
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_NOT_FOUND', `Cannot read config file "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot parse config file "${file}"${where}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load config file "${file}": expected a mapping of sections at the top level`);
  }
  return doc as Record<string, unknown>;
}

function validate(raw: unknown, origin: string): ResolvedConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load ${origin}: ${describeIssue(issue, raw)}`);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${[...path, k].join('.')}"`).join(', ');
    return `unknown key ${keys}; expected one of ${knownKeys(path).join(', ')}`;
  }
  const key = path.join('.');
  const value = valueAt(raw, issue.path);
  const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message.replace(/^Invalid input: /, '');
  return `"${key}" ${expected}, received ${JSON.stringify(value) ?? 'nothing'}`;
}

function knownKeys(path: string[]): string[] {
  let shape: unknown = configSchema;
  for (const key of path) shape = unwrap(shape)?.shape?.[key];
  return Object.keys(unwrap(shape)?.shape ?? {});
}

interface ShapeLike {
  shape?: Record<string, unknown>;
}

function unwrap(schema: unknown): ShapeLike | undefined {
  let s = schema as { shape?: unknown; def?: { innerType?: unknown } } | undefined;
  while (s && s.shape === undefined && s.def?.innerType) s = s.def.innerType as typeof s;
  return s as ShapeLike | undefined;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Maps HONEYSCOPE_SECTION_KEY_NAME to section.keyName, using the schema's own keys. */
export function envToConfig(env: Record<string, string | undefined>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const sections = unwrap(configSchema)?.shape ?? {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const rest = name.slice(ENV_PREFIX.length);
    const section = Object.keys(sections).find((s) => rest.startsWith(`${s.toUpperCase()}_`));
    if (!section) continue;
    const keyPart = rest.slice(section.length + 1);
    const keys = Object.keys(unwrap(sections[section])?.shape ?? {});
    const key = keys.find((k) => toEnvName(k) === keyPart);
    if (!key) {
      throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load environment: unknown variable "${name}"; expected ${ENV_PREFIX}${section.toUpperCase()}_ followed by one of ${keys.map(toEnvName).join(', ')}`);
    }
    const current = (DEFAULTS as Record<string, Record<string, unknown>>)[section]?.[key];
    (out[section] ??= {})[key] = typeof current === 'string' ? value : parseEnvValue(value);
  }
  return out;
}

function toEnvName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Non-string values are YAML scalars or flow collections: "2222", "true", "[25, 587]". */
function parseEnvValue(value: string): unknown {
  try {
    const parsed: unknown = parseYaml(value);
    return parsed === null ? value : parsed;
  } catch (err) {
    // Not YAML: hand the raw text to the schema, whose error names the variable's key and value.
    if (err instanceof YAMLParseError) return value;
    throw err;
  }
}

/** The defaults of every option, for `honeyscope config --defaults` and docs. */
export function defaultConfig(): ResolvedConfig {
  return structuredClone(DEFAULTS);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
