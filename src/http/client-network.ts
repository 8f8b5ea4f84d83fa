/**
 * The network a request comes from, as the throttles count it. One person
 * holds one IPv4 address (or shares it behind a NAT), but an IPv6 user is
 * handed a whole /64 and can pick a fresh address from it for every request,
 * so IPv6 is counted by its /64. An IPv4-mapped IPv6 address is its IPv4.
 *
 * ipaddr.js parses every spelling (compressed, mapped, zone ids) the same way,
 * so two spellings of one network never become two keys.
 */
import ipaddr from "ipaddr.js";
import type { Context } from "hono";

/** What a missing or unreadable address counts as (Cloudflare always sends one; local tools may not). */
const UNKNOWN_NETWORK = "unknown";

/** The address Cloudflare saw the request come from, as sent (absent outside Cloudflare's network). */
export function clientAddress(c: Context): string | undefined {
  return c.req.header("cf-connecting-ip") ?? undefined;
}

function parsed(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const text = address?.trim();
  if (!text || !ipaddr.isValid(text)) return null;
  return ipaddr.process(text);
}

/** The throttle key of a client address: IPv4 as it is, IPv6 by its /64 (`2001:db8:1:2::/64`). */
export function networkKey(address: string | undefined): string {
  const ip = parsed(address);
  if (!ip) return UNKNOWN_NETWORK;
  if (ip.kind() === "ipv4") return ip.toString();
  const network = ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/64`);
  return `${network.toString()}/64`;
}

/**
 * The network in the coarse form that may be kept and shown to a library's
 * administrators: IPv4 by its /24, IPv6 by its /48 — the same cut as the
 * patron addresses a library keeps (src/shared/privacy.ts truncateIp). It
 * tells a branch's own network from somewhere else without naming a device.
 */
export function networkLabel(address: string | undefined): string | null {
  const ip = parsed(address);
  if (!ip) return null;
  const cidr = ip.kind() === "ipv4" ? 24 : 48;
  const network = ip.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(`${ip.toString()}/${cidr}`) : ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/${cidr}`);
  return `${network.toString()}/${cidr}`;
}
