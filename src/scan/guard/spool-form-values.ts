import type { Writable } from 'node:stream';
import { once } from 'node:events';

/** A decoded field value's place in the spooled values. */
export interface FormValue {
  name: string;
  start: number;
  end: number;
}

const MAX_NAME_BYTES = 256;

function hex(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * Decodes an application/x-www-form-urlencoded body as the application will
 * (`+` is a space, `%XX` a byte, a `%` without two hex digits itself) and
 * writes the values one after another to `out`, streaming: the guard then
 * scans each value as the bytes the application gets, which percent-encoding
 * hides from a scan of the raw body.
 */
export async function spoolFormValues(source: AsyncIterable<Buffer>, out: Writable): Promise<FormValue[]> {
  const values: FormValue[] = [];
  let written = 0;
  let inValue = false;
  let name: number[] = [];
  let start = 0;
  /** A `%` and the hex digit after it, if any, awaiting the rest of the escape. */
  let escape: number[] = [];

  function endField(): void {
    if (inValue) values.push({ name: decodeName(name), start, end: written });
    inValue = false;
    name = [];
  }

  for await (const chunk of source) {
    // Fresh for each chunk: a written slice stays queued in `out` until flushed.
    const decoded = Buffer.allocUnsafe(chunk.length + 2);
    let n = 0;
    let flushed = 0;
    const flush = async (): Promise<void> => {
      written += n - flushed;
      const ready = n > flushed && !out.write(decoded.subarray(flushed, n));
      flushed = n;
      if (ready) await once(out, 'drain');
    };
    const put = (byte: number): void => {
      if (inValue) decoded[n++] = byte;
      else if (name.length < MAX_NAME_BYTES) name.push(byte);
    };
    for (const byte of chunk) {
      if (escape.length > 0) {
        if (hex(byte) >= 0) {
          escape.push(byte);
          if (escape.length < 3) continue;
          put(hex(escape[1]!) * 16 + hex(byte));
          escape = [];
          continue;
        }
        // Not an escape after all: the `%` (and a digit) stay as they are, and this byte counts on its own.
        for (const raw of escape) put(raw);
        escape = [];
      }
      if (byte === 0x26) {
        await flush();
        endField();
      } else if (byte === 0x3d && !inValue) {
        inValue = true;
        start = written + n - flushed;
      } else if (byte === 0x25) {
        escape = [byte];
      } else {
        put(byte === 0x2b ? 0x20 : byte);
      }
    }
    await flush();
  }
  if (escape.length > 0 && inValue) {
    const rest = Buffer.from(escape);
    written += rest.length;
    out.write(rest);
  }
  endField();
  return values;
}

function decodeName(bytes: number[]): string {
  const raw = Buffer.from(bytes).toString('latin1').replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
