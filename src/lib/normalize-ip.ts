/** An IPv4-mapped IPv6 peer (`::ffff:1.2.3.4`) as plain IPv4, as logs and users expect. */
export function normalizeIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
