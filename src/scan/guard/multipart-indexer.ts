/** One part of a multipart body: its headers and the byte range of its content in the body. */
export interface MultipartPart {
  headers: Record<string, string>;
  /** The form field name, from Content-Disposition. */
  name?: string;
  /** The uploaded file's name, from Content-Disposition. */
  filename?: string;
  /** Offset of the first content byte in the body. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

type State = 'preamble' | 'after-delimiter' | 'headers' | 'content' | 'done';

/**
 * Finds the parts of a multipart body fed in chunks of any size, without
 * holding the content: it keeps only enough bytes to see a delimiter split
 * across chunks. The caller reads each part's range back from where it stored the body.
 */
export class MultipartIndexer {
  readonly parts: MultipartPart[] = [];
  readonly #delimiter: Buffer;
  // The body is treated as if preceded by CRLF, so the first delimiter looks like every other one.
  #buffer: Buffer = Buffer.from(CRLF);
  #bufferStart = -CRLF.length;
  #state: State = 'preamble';
  #current: Omit<MultipartPart, 'end'> | undefined;
  #error: SyntaxError | undefined;

  constructor(boundary: string) {
    if (boundary === '' || boundary.length > 70) throw new RangeError(`Cannot parse a multipart body with boundary "${boundary}": expected 1 to 70 characters`);
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Feeds the next bytes; a syntax error is kept and thrown by finish(), so the caller can still read the body to its end. */
  push(chunk: Uint8Array): void {
    if (this.#state === 'done' || this.#error) return;
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    try {
      this.#process();
    } catch (err) {
      this.#error = err as SyntaxError;
      this.#buffer = Buffer.alloc(0);
    }
  }

  /** The parts found; throws SyntaxError if the body was malformed or ended before its closing delimiter. */
  finish(): MultipartPart[] {
    if (this.#error) throw this.#error;
    if (this.#state !== 'done') throw new SyntaxError(`Cannot parse the multipart body: it ends ${this.#state === 'preamble' ? 'before the first boundary' : 'before the closing boundary'}`);
    return this.parts;
  }

  #consume(bytes: number): void {
    this.#buffer = this.#buffer.subarray(bytes);
    this.#bufferStart += bytes;
  }

  #process(): void {
    for (;;) {
      if (this.#state === 'preamble' || this.#state === 'content') {
        const at = this.#buffer.indexOf(this.#delimiter);
        if (at === -1) {
          // Keep a tail that could be the start of a delimiter cut by the chunk boundary.
          const keep = Math.min(this.#buffer.length, this.#delimiter.length - 1);
          this.#consume(this.#buffer.length - keep);
          return;
        }
        if (this.#state === 'content') this.parts.push({ ...this.#current!, end: this.#bufferStart + at });
        this.#consume(at + this.#delimiter.length);
        this.#state = 'after-delimiter';
      } else if (this.#state === 'after-delimiter') {
        // Transport padding (spaces or tabs) may follow the boundary before CRLF.
        const line = this.#buffer.indexOf(CRLF);
        if (this.#buffer.length >= 2 && this.#buffer.subarray(0, 2).toString('latin1') === '--') {
          this.#state = 'done';
          return;
        }
        if (line === -1) {
          if (this.#buffer.length > 256) throw new SyntaxError('Cannot parse the multipart body: expected CRLF after a boundary');
          return;
        }
        if (!/^[ \t]*$/.test(this.#buffer.subarray(0, line).toString('latin1'))) throw new SyntaxError('Cannot parse the multipart body: expected CRLF after a boundary');
        this.#consume(line + CRLF.length);
        this.#state = 'headers';
      } else if (this.#state === 'headers') {
        if (this.#buffer.length >= 2 && this.#buffer[0] === 0x0d && this.#buffer[1] === 0x0a) {
          this.#startPart('', 2);
          continue;
        }
        const at = this.#buffer.indexOf(HEADER_END);
        if (at === -1) {
          if (this.#buffer.length > MAX_HEADER_BYTES) throw new SyntaxError(`Cannot parse the multipart body: part headers longer than ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        this.#startPart(this.#buffer.subarray(0, at).toString('utf8'), at + HEADER_END.length);
      } else {
        return;
      }
    }
  }

  #startPart(headerText: string, length: number): void {
    const headers = parsePartHeaders(headerText);
    const disposition = headers['content-disposition'] ?? '';
    const name = dispositionParam(disposition, 'name');
    const filename = dispositionParam(disposition, 'filename');
    this.#current = { headers, start: this.#bufferStart + length, ...(name !== undefined ? { name } : {}), ...(filename !== undefined ? { filename } : {}) };
    this.#consume(length);
    this.#state = 'content';
  }
}

/** `Name: value` lines (lower-cased names); throws SyntaxError for a line without a colon. */
export function parsePartHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === '') return headers;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SyntaxError(`Cannot parse the multipart part header ${JSON.stringify(line)}: expected "Name: value"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A parameter of Content-Disposition (`form-data; name="f"; filename="a b.txt"`). */
export function dispositionParam(disposition: string, param: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const match = re.exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** The boundary of a `multipart/*` Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}
