/**
 * A pure parser for the subset of bash syntax bots type: quotes, escapes,
 * `$VAR`/`${VAR}`, `;` `&&` `||` `|` `&`, redirects, comments and grouping
 * with `( list )` and `{ list; }`. Command
 * substitution (`$(...)`, backticks) is kept as literal text: nothing an
 * attacker sends is ever executed, only emulated.
 */

export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean };

export interface Word {
  readonly parts: readonly WordPart[];
}

export type Redirect =
  | { readonly fd: number; readonly op: '>' | '>>' | '<'; readonly target: Word }
  /** `2>&1`, `>&2`: make `fd` write where `toFd` writes. */
  | { readonly fd: number; readonly op: '>&'; readonly toFd: number };

export interface SimpleCommand {
  readonly kind: 'simple';
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

/** `( list )` runs in a subshell; `{ list; }` in the current shell. */
export interface GroupCommand {
  readonly kind: 'group';
  readonly subshell: boolean;
  readonly list: readonly ListItem[];
  readonly redirects: readonly Redirect[];
}

export type PipelineCommand = SimpleCommand | GroupCommand;

export interface Pipeline {
  readonly commands: readonly PipelineCommand[];
}

export type ListOperator = ';' | '&' | '&&' | '||';

export interface ListItem {
  readonly pipeline: Pipeline;
  /** How this pipeline joins the next one; absent on the last. */
  readonly next?: ListOperator;
}

export type ParseResult = { readonly ok: true; readonly list: readonly ListItem[] } | { readonly ok: false; readonly error: string };

type Token =
  | { readonly type: 'word'; readonly word: Word }
  | { readonly type: 'op'; readonly op: ListOperator | '|' | '\n' | '(' | ')' }
  | { readonly type: 'redir'; readonly fd: number; readonly op: '>' | '>>' | '<' | '>&' | '&>' | '&>>' };

class ParseFailure extends SyntaxError {}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_VARS = new Set(['?', '$', '#', '@', '*', '!', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
/** Groups one line may nest; keeps parsing and running `((((...` shallow. */
const MAX_GROUP_DEPTH = 32;

/** Parses one command line; a syntax error comes back as bash's message (without the `-bash: ` prefix). */
export function parseCommandLine(line: string): ParseResult {
  try {
    return { ok: true, list: new ListBuilder(tokenize(line)).build() };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, error: err.message };
    throw err;
  }
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let parts: WordPart[] = [];
  let text = '';
  let textQuoted = false;
  let inWord = false;
  let i = 0;

  function flushText(): void {
    if (text.length > 0) parts.push({ kind: 'text', text, quoted: textQuoted });
    text = '';
  }
  function addText(chunk: string, quoted: boolean): void {
    if (chunk.length === 0) {
      // `''` and `""` still make an (empty) argument.
      if (quoted) {
        flushText();
        parts.push({ kind: 'text', text: '', quoted: true });
        inWord = true;
      }
      return;
    }
    if (quoted !== textQuoted) flushText();
    textQuoted = quoted;
    text += chunk;
    inWord = true;
  }
  function endWord(): void {
    flushText();
    if (inWord) tokens.push({ type: 'word', word: { parts } });
    parts = [];
    inWord = false;
  }
  /** Reads the `$...` at line[i] and moves i past it. */
  function readDollar(quoted: boolean): void {
    const next = line[i + 1];
    if (next === '{') {
      const close = line.indexOf('}', i + 2);
      if (close < 0) throw new ParseFailure('unexpected EOF while looking for matching `}\'');
      const name = line.slice(i + 2, close);
      flushText();
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || SPECIAL_VARS.has(name)) {
        parts.push({ kind: 'var', name, quoted });
      } else {
        parts.push({ kind: 'text', text: line.slice(i, close + 1), quoted: true });
      }
      inWord = true;
      i = close + 1;
      return;
    }
    if (next === '(') {
      const end = skipBalanced(line, i + 1);
      addText(line.slice(i, end), true);
      i = end;
      return;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 2;
      while (j < line.length && NAME_CHAR.test(line[j] as string)) j++;
      flushText();
      parts.push({ kind: 'var', name: line.slice(i + 1, j), quoted });
      inWord = true;
      i = j;
      return;
    }
    if (next !== undefined && SPECIAL_VARS.has(next)) {
      flushText();
      parts.push({ kind: 'var', name: next, quoted });
      inWord = true;
      i += 2;
      return;
    }
    addText('$', quoted);
    i += 1;
  }

  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n' || c === '\r') {
      endWord();
      tokens.push({ type: 'op', op: '\n' });
      i++;
    } else if (c === '#' && !inWord) {
      const nl = line.indexOf('\n', i);
      i = nl < 0 ? line.length : nl;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ParseFailure("unexpected EOF while looking for matching `''");
      addText(line.slice(i + 1, close), true);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      inWord = true;
      if (line[i + 1] === '"') addText('', true);
      i++;
      let closed = false;
      while (i < line.length) {
        const d = line[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1] as string)) {
          if (line[i + 1] !== '\n') addText(line[i + 1] as string, true);
          i += 2;
        } else if (d === '$') {
          readDollar(true);
        } else if (d === '`') {
          const end = skipBackticks(line, i);
          addText(line.slice(i, end), true);
          i = end;
        } else {
          addText(d, true);
          i++;
        }
      }
      if (!closed) throw new ParseFailure('unexpected EOF while looking for matching `"\'');
    } else if (c === '\\') {
      if (i + 1 < line.length && line[i + 1] !== '\n') addText(line[i + 1] as string, true);
      i += 2;
    } else if (c === '$') {
      readDollar(false);
    } else if (c === '`') {
      const end = skipBackticks(line, i);
      addText(line.slice(i, end), true);
      i = end;
    } else if (c === ';' || c === '|' || c === '&') {
      if (c === '&' && line[i + 1] === '>') {
        endWord();
        const append = line[i + 2] === '>';
        tokens.push({ type: 'redir', fd: 1, op: append ? '&>>' : '&>' });
        i += append ? 3 : 2;
        continue;
      }
      endWord();
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        tokens.push({ type: 'op', op: two });
        i += 2;
      } else if (two === ';;') {
        throw new ParseFailure("syntax error near unexpected token `;;'");
      } else if (two === '|&') {
        tokens.push({ type: 'op', op: '|' });
        i += 2;
      } else {
        tokens.push({ type: 'op', op: c as ';' | '|' | '&' });
        i++;
      }
    } else if (c === '(' || c === ')') {
      endWord();
      tokens.push({ type: 'op', op: c });
      i++;
    } else if (c === '>' || c === '<') {
      let fd = c === '>' ? 1 : 0;
      if (inWord && parts.length === 0 && !textQuoted && /^[0-9]$/.test(text)) {
        fd = Number(text);
        text = '';
        inWord = false;
      }
      endWord();
      if (c === '<') {
        // Here-documents are not emulated: `<<` reads like `<`.
        i += line[i + 1] === '<' ? 2 : 1;
        tokens.push({ type: 'redir', fd, op: '<' });
      } else if (line[i + 1] === '>') {
        tokens.push({ type: 'redir', fd, op: '>>' });
        i += 2;
      } else if (line[i + 1] === '&') {
        tokens.push({ type: 'redir', fd, op: '>&' });
        i += 2;
      } else {
        tokens.push({ type: 'redir', fd, op: '>' });
        i += line[i + 1] === '|' ? 2 : 1;
      }
    } else {
      addText(c, false);
      i++;
    }
  }
  endWord();
  return tokens;
}

/** Index just after the `)` matching the `(` at `open`, or the line end. */
function skipBalanced(line: string, open: number): number {
  let depth = 0;
  for (let j = open; j < line.length; j++) {
    const c = line[j];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === '\\') j++;
    else if (c === "'") {
      const close = line.indexOf("'", j + 1);
      if (close < 0) break;
      j = close;
    }
  }
  throw new ParseFailure("unexpected EOF while looking for matching `)'");
}

function skipBackticks(line: string, open: number): number {
  for (let j = open + 1; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === '`') return j + 1;
  }
  throw new ParseFailure('unexpected EOF while looking for matching ``\'');
}

function tokenText(token: Token): string {
  if (token.type === 'op') return token.op === '\n' ? 'newline' : token.op;
  if (token.type === 'redir') return token.op;
  return wordText(token.word) ?? 'word';
}

/**
 * Recursive descent over the tokens: a list is pipelines joined by `;` `&`
 * `&&` `||` or newlines, a pipeline is commands joined by `|`, and a command
 * is simple or a group (which holds a list).
 */
class ListBuilder {
  readonly #tokens: readonly Token[];
  #t = 0;
  #depth = 0;

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens;
  }

  build(): ListItem[] {
    const list = this.#list(undefined);
    const stray = this.#tokens[this.#t];
    if (stray !== undefined) throw unexpected(stray);
    return list;
  }

  /** Items up to the end of the tokens, or up to (not past) the token closing a group. */
  #list(close: ')' | '}' | undefined): ListItem[] {
    const list: ListItem[] = [];
    for (;;) {
      this.#skipNewlines();
      const first = this.#tokens[this.#t];
      if (first === undefined || closes(first, close)) break;
      const pipeline = this.#pipeline();
      const op = this.#tokens[this.#t];
      if (op === undefined || closes(op, close)) {
        list.push({ pipeline });
        break;
      }
      if (op.type !== 'op' || op.op === '|' || op.op === '(' || op.op === ')') throw unexpected(op);
      this.#t++;
      const next = op.op === '\n' ? ';' : op.op;
      list.push({ pipeline, next });
      if (next === '&&' || next === '||') this.#requireCommand(close);
    }
    // A trailing `;` or `&` joins nothing.
    const last = list[list.length - 1];
    if (last !== undefined) list[list.length - 1] = { pipeline: last.pipeline };
    return list;
  }

  #pipeline(): Pipeline {
    const commands = [this.#command()];
    for (let token = this.#tokens[this.#t]; token?.type === 'op' && token.op === '|'; token = this.#tokens[this.#t]) {
      this.#t++;
      this.#requireCommand(undefined);
      commands.push(this.#command());
    }
    return { commands };
  }

  #command(): PipelineCommand {
    const first = this.#tokens[this.#t];
    if (first?.type === 'op' && first.op === '(') return this.#group(true);
    if (first?.type === 'word' && isReservedWord(first.word, '{')) return this.#group(false);
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (let token = first; token !== undefined && token.type !== 'op'; token = this.#tokens[this.#t]) {
      if (token.type === 'word') {
        words.push(token.word);
        this.#t++;
      } else {
        this.#redirect(token, redirects);
      }
    }
    if (words.length === 0 && redirects.length === 0) throw unexpected(this.#tokens[this.#t]);
    return { kind: 'simple', words, redirects };
  }

  #group(subshell: boolean): GroupCommand {
    if (this.#depth >= MAX_GROUP_DEPTH) throw new ParseFailure('maximum group nesting level exceeded');
    this.#t++;
    this.#depth++;
    const list = this.#list(subshell ? ')' : '}');
    const end = this.#tokens[this.#t];
    if (end === undefined) throw new ParseFailure('syntax error: unexpected end of file');
    if (list.length === 0) throw unexpected(end);
    this.#t++;
    this.#depth--;
    // Only redirects may follow the closing token.
    const redirects: Redirect[] = [];
    for (let token = this.#tokens[this.#t]; token?.type === 'redir'; token = this.#tokens[this.#t]) this.#redirect(token, redirects);
    const after = this.#tokens[this.#t];
    if (after?.type === 'word') throw unexpected(after);
    return { kind: 'group', subshell, list, redirects };
  }

  /** Reads the redirect at the cursor and its target word. */
  #redirect(token: Extract<Token, { type: 'redir' }>, redirects: Redirect[]): void {
    const target = this.#tokens[this.#t + 1];
    if (target?.type !== 'word') throw unexpected(target);
    this.#t += 2;
    if (token.op === '&>' || token.op === '&>>') {
      redirects.push({ fd: 1, op: token.op === '&>' ? '>' : '>>', target: target.word });
      redirects.push({ fd: 2, op: '>&', toFd: 1 });
    } else if (token.op === '>&') {
      const digits = wordText(target.word);
      if (digits !== undefined && /^[0-9]$/.test(digits)) redirects.push({ fd: token.fd, op: '>&', toFd: Number(digits) });
      else redirects.push({ fd: token.fd, op: '>', target: target.word });
    } else {
      redirects.push({ fd: token.fd, op: token.op, target: target.word });
    }
  }

  /** After `|`, `&&` or `||` a command must follow, possibly on a later line. */
  #requireCommand(close: ')' | '}' | undefined): void {
    this.#skipNewlines();
    const token = this.#tokens[this.#t];
    if (token === undefined) throw new ParseFailure('syntax error: unexpected end of file');
    if (closes(token, close)) throw unexpected(token);
  }

  #skipNewlines(): void {
    for (let token = this.#tokens[this.#t]; token?.type === 'op' && token.op === '\n'; token = this.#tokens[this.#t]) this.#t++;
  }
}

function unexpected(token: Token | undefined): ParseFailure {
  return new ParseFailure(`syntax error near unexpected token \`${token === undefined ? 'newline' : tokenText(token)}'`);
}

/** Whether `token` ends the group being read (`)` or a `}` word at a command start). */
function closes(token: Token, close: ')' | '}' | undefined): boolean {
  if (close === ')') return token.type === 'op' && token.op === ')';
  if (close === '}') return token.type === 'word' && isReservedWord(token.word, '}');
  return false;
}

/** `{` and `}` are reserved only as whole, unquoted words. */
function isReservedWord(word: Word, text: string): boolean {
  const part = word.parts[0];
  return word.parts.length === 1 && part?.kind === 'text' && !part.quoted && part.text === text;
}

/** The text of a word made only of literal parts, else undefined. */
export function wordText(word: Word): string | undefined {
  let out = '';
  for (const part of word.parts) {
    if (part.kind !== 'text') return undefined;
    out += part.text;
  }
  return out;
}
