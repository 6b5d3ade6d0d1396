import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { HoneyscopeError, errorMessage } from '../lib/errors.js';

/** The rules file shipped with Honeyscope (copy it to edit, then pass its path). */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL('./rules/outbound-categories.yaml', import.meta.url));

const ruleSchema = z
  .object({
    category: z.string().min(1),
    kinds: z.array(z.string()).optional(),
    ports: z.array(z.number().int().min(0).max(65535)).optional(),
    hosts: z.array(z.string().min(1)).optional(),
    paths: z.array(z.string()).optional(),
    methods: z.array(z.string()).optional(),
    userAgents: z.array(z.string()).optional(),
  })
  .strict();

const rulesSchema = z.object({ default: z.string().min(1).default('unexplored'), rules: z.array(ruleSchema) }).strict();

/** One compiled rule: every present condition must match. */
export interface OutboundRule {
  category: string;
  kinds?: ReadonlySet<string>;
  ports?: ReadonlySet<number>;
  hosts?: readonly string[];
  paths?: readonly RegExp[];
  methods?: ReadonlySet<string>;
  userAgents?: readonly RegExp[];
}

export interface OutboundRules {
  defaultCategory: string;
  rules: readonly OutboundRule[];
}

/**
 * Parses and compiles a rules document (YAML or JSON).
 *
 * @throws {HoneyscopeError} HS_CONFIG_INVALID naming the source and the bad key or pattern
 */
export function parseOutboundRules(text: string, source: string): OutboundRules {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot parse rules "${source}": ${errorMessage(err)}`, { cause: err });
  }
  const result = rulesSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load rules "${source}": "${where}" ${issue?.message ?? 'is invalid'}`);
  }
  return {
    defaultCategory: result.data.default,
    rules: result.data.rules.map((r, i) => ({
      category: r.category,
      ...(r.kinds ? { kinds: new Set(r.kinds) } : {}),
      ...(r.ports ? { ports: new Set(r.ports) } : {}),
      ...(r.hosts ? { hosts: r.hosts.map((h) => h.toLowerCase()) } : {}),
      ...(r.paths ? { paths: r.paths.map((p, j) => compile(p, `${source}: rules.${i}.paths.${j}`)) } : {}),
      ...(r.methods ? { methods: new Set(r.methods.map((m) => m.toUpperCase())) } : {}),
      ...(r.userAgents ? { userAgents: r.userAgents.map((p, j) => compile(p, `${source}: rules.${i}.userAgents.${j}`)) } : {}),
    })),
  };
}

/** Reads the rules file at `path` (default: the shipped one). */
export async function loadOutboundRules(path: string = DEFAULT_RULES_PATH): Promise<OutboundRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_NOT_FOUND', `Cannot read rules "${path}": ${errorMessage(err)}`, { cause: err });
  }
  return parseOutboundRules(text, path);
}

function compile(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (err) {
    throw new HoneyscopeError('HS_CONFIG_INVALID', `Cannot load rules "${where}": invalid regular expression "${pattern}"`, { cause: err });
  }
}
