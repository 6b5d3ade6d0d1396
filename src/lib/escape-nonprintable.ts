/**
 * Cowrie's `escape_nonprintable`: the UTF-8 bytes of `value` with every byte
 * outside 0x20-0x7e written as \xNN and a backslash doubled, so credentials
 * and versions are printable and lossless.
 */
export function escapeNonPrintable(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}
