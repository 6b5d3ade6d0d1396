/**
 * Decodes a base64 stream (MIME's, with line breaks) as it arrives: the bytes
 * of a multipart part sent with Content-Transfer-Encoding: base64, which the
 * application decodes and a scan of the raw part would not see. Characters
 * outside the alphabet are skipped, as MIME decoders do.
 */
export async function* decodeBase64Stream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry = '';
  for await (const chunk of source) {
    const text = carry + Buffer.from(chunk).toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    const whole = text.length - (text.length % 4);
    carry = text.slice(whole);
    if (whole > 0) yield Buffer.from(text.slice(0, whole), 'base64');
  }
  if (carry.length > 1) yield Buffer.from(carry, 'base64');
}
