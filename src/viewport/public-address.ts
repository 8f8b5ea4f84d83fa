/**
 * Server-side request forgery guard for the framing check: the Worker fetches
 * only hosts on the public internet — never loopback, private, link-local,
 * carrier-grade NAT, multicast, documentation or other special-purpose
 * addresses, nor names that only mean something on a local network
 * (localhost, *.local, single labels).
 *
 * Addresses are judged by ipaddr.js's table of special-purpose ranges: an
 * IPv4 address must be plain unicast, and so must an IPv6 one. That refuses
 * every IPv6 form that carries an IPv4 address inside (IPv4-mapped,
 * IPv4-compatible, 6to4, Teredo, NAT64 64:ff9b::/96 and 64:ff9b:1::/48) as
 * well as unique-local, link-local, site-local, multicast, discard and
 * documentation ranges; a tunnelled address is refused outright rather than
 * unpacked, since what it reaches depends on relays the Worker cannot see.
 *
 * Hostnames that resolve to private addresses cannot be seen from a Worker (it
 * has no DNS API); on Cloudflare's network a Worker's fetch cannot reach
 * private addresses anyway. Local development and the tests, which serve
 * their pages on loopback, turn this guard off with the
 * FRAMING_CHECK_ALLOW_PRIVATE variable (see docs/cobrowsing.md).
 */
import ipaddr from "ipaddr.js";

const LOCAL_NAMES = [/^localhost$/, /\.localhost$/, /\.local$/, /\.internal$/, /\.home\.arpa$/, /\.lan$/, /\.intranet$/];

/** IPv4-compatible IPv6 (::a.b.c.d, deprecated): ipaddr.js counts it as unicast, but it is an IPv4 address in disguise. */
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR("::/96");

function isPublicAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).match(IPV4_COMPATIBLE)) return false;
  return address.range() === "unicast";
}

/** Whether `hostname` (a URL's hostname: a name, an IPv4 address, or a bracketed IPv6 address) is on the public internet. */
export function isPublicHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (!host) return false;
  if (host.startsWith("[") && host.endsWith("]")) {
    const inside = host.slice(1, -1);
    return ipaddr.IPv6.isValid(inside) && isPublicAddress(ipaddr.IPv6.parse(inside));
  }
  // URLs fold every IPv4 spelling (2130706433, 0x7f.1, 127.1) into a dotted quad.
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return isPublicAddress(ipaddr.IPv4.parse(host));
  // Any other spelling of an address, given without going through a URL: refused rather than guessed at.
  if (ipaddr.isValid(host)) return false;
  // A name: local-only suffixes, and single labels ("intranet") that only a local resolver knows.
  if (LOCAL_NAMES.some((re) => re.test(host))) return false;
  return host.includes(".");
}
