/**
 * Server-side request forgery guard for the framing check: the Worker fetches
 * only hosts on the public internet — never loopback, private, link-local,
 * carrier-grade NAT, multicast or documentation addresses, nor names that
 * only mean something on a local network (localhost, *.local, single labels).
 *
 * Hostnames that resolve to private addresses cannot be seen from a Worker (it
 * has no DNS API); on Cloudflare's network a Worker's fetch cannot reach
 * private addresses anyway. Local development and the tests, which serve
 * their pages on loopback, turn this guard off with the
 * FRAMING_CHECK_ALLOW_PRIVATE variable (see docs/cobrowsing.md).
 */

const LOCAL_NAMES = [/^localhost$/, /\.localhost$/, /\.local$/, /\.internal$/, /\.home\.arpa$/, /\.lan$/, /\.intranet$/];

/** IPv4 ranges that are not the public internet: [first octets as a number, prefix length]. */
const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToNumber(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function isPrivateV4(n: number): boolean {
  return PRIVATE_V4.some(([base, bits]) => {
    const b = v4ToNumber(base)!;
    const size = 2 ** (32 - bits);
    return n >= b && n < b + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (brackets removed), or null. */
function v6Groups(ip: string): number[] | null {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const n = v4ToNumber(tail[1]!);
    if (n === null) return null;
    text = text.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s ? s.split(":") : []).map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : null;
}

function isPrivateV6(g: number[]): boolean {
  const [a, b] = g as [number, number];
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 inside.
  const v4 = (g[6]! << 16) + g[7]!;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return isPrivateV4(v4 >>> 0);
  if (a === 0x64 && b === 0xff9b) return isPrivateV4(v4 >>> 0);
  if ((a & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((a & 0xffc0) === 0xfec0) return true; // fec0::/10 old site-local
  if ((a & 0xff00) === 0xff00) return true; // multicast
  if (a === 0x2001 && b === 0x0db8) return true; // documentation
  if (a === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return true; // 100::/64 discard
  return false;
}

/** Whether `hostname` (a URL's hostname: a name, an IPv4 address, or a bracketed IPv6 address) is on the public internet. */
export function isPublicHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (!host) return false;
  if (host.startsWith("[")) {
    const groups = v6Groups(host.slice(1, -1));
    return groups !== null && !isPrivateV6(groups);
  }
  const v4 = v4ToNumber(host);
  if (v4 !== null) return !isPrivateV4(v4);
  // A name: local-only suffixes, and single labels ("intranet") that only a local resolver knows.
  if (LOCAL_NAMES.some((re) => re.test(host))) return false;
  return host.includes(".");
}
