/**
 * Patron privacy rules that more than one place applies.
 */

/**
 * Never keep a whole IP address: IPv4 keeps its first three octets (a /24),
 * IPv6 its first three groups (a /48) — enough for abuse reports about a
 * network, not enough to single out a patron.
 */
export function truncateIp(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip.trim());
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`;
  if (ip.includes(":")) {
    const groups = ip.trim().split(":").filter((g, i, all) => g !== "" || (i > 0 && i < all.length - 1));
    return `${groups.slice(0, 3).join(":")}::`;
  }
  return null;
}
