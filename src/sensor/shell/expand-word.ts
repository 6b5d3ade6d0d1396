import type { Word } from './parse-command-line.js';

/** One field after expansion; `glob` when it holds unquoted `*`, `?` or `[`. */
export interface Field {
  readonly value: string;
  readonly glob: boolean;
}

export interface ExpandOptions {
  /** The value of a variable (`?`, `$` and names), or undefined when unset. */
  lookup(name: string): string | undefined;
  home: string;
}

/**
 * Expands one parsed word as bash does for the parts we emulate: `~`, variables
 * (unquoted values split on blanks), quote removal. Pure.
 */
export function expandWord(word: Word, options: ExpandOptions): Field[] {
  const fields: Field[] = [];
  let current = '';
  let glob = false;
  let started = false;

  function push(): void {
    if (started) fields.push({ value: current, glob });
    current = '';
    glob = false;
    started = false;
  }

  word.parts.forEach((part, index) => {
    if (part.kind === 'text') {
      let text = part.text;
      if (index === 0 && !part.quoted && (text === '~' || text.startsWith('~/'))) text = options.home + text.slice(1);
      if (!part.quoted && /[*?[]/.test(text)) glob = true;
      current += text;
      started = true;
      return;
    }
    const value = options.lookup(part.name) ?? '';
    if (part.quoted) {
      current += value;
      started = true;
      return;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) push();
      if (piece.length > 0) {
        current += piece;
        started = true;
      }
    });
  });
  push();
  return fields;
}

/** Whether `name` matches a shell glob `pattern` (`*`, `?`, `[...]`). */
export function matchGlob(pattern: string, name: string): boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&');
        source += `[${body}]`;
        i = close;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${source}$`, 's').test(name);
}
