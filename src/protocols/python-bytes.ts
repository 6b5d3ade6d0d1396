/**
 * Python `repr()` of byte strings, as Cowrie writes `direct-tcpip.data`:
 * Python 3 `b'...'` and Python 2 `'...'` (2018-era logs).
 */

const HEX = '0123456789abcdef';

/**
 * Formats bytes exactly as Python 3's `repr(bytes)`: single quotes unless the
 * data holds `'` and no `"`, escapes `\t \n \r \\` and the quote, `\xNN` for
 * anything outside 0x20-0x7e.
 *
 * @example
 * encodePythonBytes(Buffer.from("GET / HTTP/1.1\r\n")) // "b'GET / HTTP/1.1\\r\\n'"
 */
export function encodePythonBytes(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  const quoteCode = quote.charCodeAt(0);
  const parts: string[] = ['b', quote];
  let run = '';
  for (const c of data) {
    if (c === quoteCode || c === 0x5c) run += '\\' + String.fromCharCode(c);
    else if (c === 0x09) run += '\\t';
    else if (c === 0x0a) run += '\\n';
    else if (c === 0x0d) run += '\\r';
    else if (c < 0x20 || c >= 0x7f) run += '\\x' + HEX[c >> 4] + HEX[c & 15];
    else run += String.fromCharCode(c);
    // Flush in slices so long payloads do not build one huge rope string.
    if (run.length >= 8192) {
      parts.push(run);
      run = '';
    }
  }
  parts.push(run, quote);
  return parts.join('');
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  '\\': 0x5c,
  "'": 0x27,
  '"': 0x22,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
};

function isHexDigit(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

function isOctalDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '7';
}

function syntaxError(offset: number, expected: string): SyntaxError {
  return new SyntaxError(`Cannot decode Python bytes literal at offset ${offset}: expected ${expected}`);
}

/** Grows a byte buffer without a copy per byte. */
class ByteSink {
  #buf: Buffer;
  #len = 0;

  constructor(capacity: number) {
    this.#buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }

  push(byte: number): void {
    if (this.#len === this.#buf.length) this.#grow(1);
    this.#buf[this.#len++] = byte;
  }

  pushUtf8(codePoint: number): void {
    const encoded = Buffer.from(String.fromCodePoint(codePoint), 'utf8');
    if (this.#len + encoded.length > this.#buf.length) this.#grow(encoded.length);
    encoded.copy(this.#buf, this.#len);
    this.#len += encoded.length;
  }

  result(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#len));
  }

  #grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#len + extra));
    this.#buf.copy(next, 0, 0, this.#len);
    this.#buf = next;
  }
}

/**
 * Decodes a Python bytes/str literal back to its bytes. Accepts Python 3
 * `b'..'`/`b".."`, Python 2 `'..'`/`".."` and `u'..'`. `\xNN` and octal escapes
 * give one byte; in non-`b` literals `\u` (4 hex digits), `\U` (8) and literal
 * non-ASCII characters give their UTF-8 bytes. Unknown escapes are kept with
 * their backslash, as Python does.
 *
 * @throws {SyntaxError} when `repr` is not one complete literal
 */
export function decodePythonBytes(repr: string): Buffer {
  let i = 0;
  let isBytes = false;
  const prefix = repr[0];
  if (prefix === 'b' || prefix === 'B') {
    isBytes = true;
    i = 1;
  } else if (prefix === 'u' || prefix === 'U') {
    i = 1;
  }
  const quote = repr[i];
  if (quote !== "'" && quote !== '"') throw syntaxError(i, `an opening quote (' or ") but found ${describe(repr, i)}`);
  i++;
  const out = new ByteSink(repr.length);
  for (;;) {
    const ch = repr[i];
    if (ch === undefined) throw syntaxError(i, `a closing ${quote} but found the end of input`);
    if (ch === quote) {
      i++;
      break;
    }
    if (ch !== '\\') {
      const code = repr.codePointAt(i) ?? 0;
      if (code > 0x7f) {
        if (isBytes) throw syntaxError(i, `an ASCII character in a bytes literal but found U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
        out.pushUtf8(code);
        i += code > 0xffff ? 2 : 1;
      } else {
        out.push(code);
        i++;
      }
      continue;
    }
    i = decodeEscape(repr, i, { isBytes, out });
  }
  if (i !== repr.length) throw syntaxError(i, `the end of input after the closing quote but found ${describe(repr, i)}`);
  return out.result();
}

/** Decodes the escape starting at the backslash at `start`; returns the next offset. */
function decodeEscape(repr: string, start: number, ctx: { isBytes: boolean; out: ByteSink }): number {
  const next = repr[start + 1];
  if (next === undefined) throw syntaxError(start + 1, 'an escape character after \\ but found the end of input');
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) {
    ctx.out.push(simple);
    return start + 2;
  }
  if (next === '\n') return start + 2;
  if (next === 'x') {
    if (!isHexDigit(repr[start + 2]) || !isHexDigit(repr[start + 3])) throw syntaxError(start + 2, 'two hex digits after \\x');
    ctx.out.push(parseInt(repr.slice(start + 2, start + 4), 16));
    return start + 4;
  }
  if (isOctalDigit(next)) {
    let end = start + 2;
    while (end < start + 4 && isOctalDigit(repr[end])) end++;
    const value = parseInt(repr.slice(start + 1, end), 8);
    if (value > 0xff) {
      if (ctx.isBytes) throw syntaxError(start + 1, `an octal escape up to \\377 but found \\${repr.slice(start + 1, end)}`);
      ctx.out.pushUtf8(value);
    } else {
      ctx.out.push(value);
    }
    return end;
  }
  if (!ctx.isBytes && (next === 'u' || next === 'U')) {
    const width = next === 'u' ? 4 : 8;
    const digits = repr.slice(start + 2, start + 2 + width);
    if (digits.length !== width || ![...digits].every(isHexDigit)) throw syntaxError(start + 2, `${width} hex digits after \\${next}`);
    const value = parseInt(digits, 16);
    if (value > 0x10ffff) throw syntaxError(start + 2, `a code point up to 10FFFF but found ${digits}`);
    ctx.out.pushUtf8(value);
    return start + 2 + width;
  }
  // Python keeps an unrecognised escape as a backslash plus the character.
  ctx.out.push(0x5c);
  return start + 1;
}

function describe(text: string, offset: number): string {
  const ch = text[offset];
  return ch === undefined ? 'the end of input' : JSON.stringify(ch);
}
