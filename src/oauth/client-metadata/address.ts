import ipaddr from 'ipaddr.js';

/**
 * Whether Folio may connect to this address to fetch a client's metadata document. Only
 * ordinary public unicast: anything private, loopback, link-local (cloud metadata services at
 * 169.254.169.254), reserved, multicast or translated (NAT64, 6to4, Teredo) is refused, so a
 * client_id URL cannot make Folio reach into its own network (SSRF).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;

  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // An IPv4 address written as IPv6 is judged as the IPv4 address it is.
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    // IPv4-compatible addresses (::/96, deprecated) reach IPv4 hosts through tunnels.
    if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return parsed.range() === 'unicast';
}
