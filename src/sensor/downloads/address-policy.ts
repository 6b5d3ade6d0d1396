import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Parsed `download.allow` entries. */
export type AllowList = ReadonlyArray<readonly [Address, number]>;

/** Addresses named explicitly because they hand out cloud credentials. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** Parses CIDRs or bare addresses; throws TypeError naming the bad entry. */
export function parseAllowList(entries: readonly string[]): AllowList {
  return entries.map((entry) => {
    const text = entry.trim();
    if (ipaddr.isValidCIDR(text)) return ipaddr.parseCIDR(text);
    if (ipaddr.isValid(text)) {
      const address = ipaddr.process(text);
      return [address, address.kind() === 'ipv4' ? 32 : 128] as const;
    }
    throw new TypeError(`Cannot parse download.allow entry "${entry}": expected an IP address or CIDR`);
  });
}

/**
 * Whether a download may connect to `address`: only global unicast addresses,
 * unless an allow entry covers it. The reason names the range refused.
 */
export function checkAddress(address: string, allow: AllowList): { allowed: true } | { allowed: false; reason: string } {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `address "${address}" is not an IP address` };
  // process() unwraps ::ffff:a.b.c.d so a mapped private address is judged as IPv4.
  const parsed = ipaddr.process(address);
  for (const [network, bits] of allow) {
    if (network.kind() === parsed.kind() && parsed.match(network, bits)) return { allowed: true };
  }
  const normal = parsed.toString();
  if (METADATA.has(normal)) return { allowed: false, reason: `address ${normal} is a cloud metadata service` };
  const range = parsed.range();
  if (range !== 'unicast') return { allowed: false, reason: `address ${normal} is ${range}` };
  return { allowed: true };
}
