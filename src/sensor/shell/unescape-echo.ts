const SIMPLE: Record<string, number> = { a: 7, b: 8, e: 27, E: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Bytes of `echo -e` / printf `%b` text: `\n`, `\xHH`, `\0NNN`, ... ; `stop`
 * is true when `\c` ended the output. Pure.
 */
export function unescapeEcho(text: string): { data: Buffer; stop: boolean } {
  const out: number[] = [];
  const source = Buffer.from(text, 'utf8');
  for (let i = 0; i < source.length; i++) {
    const byte = source[i] as number;
    if (byte !== 0x5c || i + 1 >= source.length) {
      out.push(byte);
      continue;
    }
    const next = String.fromCharCode(source[i + 1] as number);
    const simple = SIMPLE[next];
    if (simple !== undefined) {
      out.push(simple);
      i++;
    } else if (next === 'c') {
      return { data: Buffer.from(out), stop: true };
    } else if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(source.subarray(i + 2, i + 4).toString('latin1'))?.[0];
      if (hex === undefined) out.push(byte);
      else {
        out.push(parseInt(hex, 16));
        i += 1 + hex.length;
      }
    } else if (next === '0') {
      const oct = /^[0-7]{0,3}/.exec(source.subarray(i + 2, i + 5).toString('latin1'))?.[0] ?? '';
      out.push(parseInt(oct === '' ? '0' : oct, 8) & 0xff);
      i += 1 + oct.length;
    } else {
      out.push(byte);
    }
  }
  return { data: Buffer.from(out), stop: false };
}
