/**
 * One rule turns a client address into the network the throttles count
 * (src/http/client-network.ts): IPv4 as it is, IPv6 by its /64, whatever the
 * spelling. Starting chats (PATRON_RATE_LIMIT) and signing in count by it.
 */
import { describe, expect, it } from "vitest";
import { networkKey, networkLabel } from "../../src/http/client-network";
import { call, createForm, createLibrary } from "./helpers";

describe("networkKey", () => {
  it("keeps an IPv4 address as it is, and treats an IPv4-mapped IPv6 address as that IPv4", () => {
    expect(networkKey("203.0.113.9")).toBe("203.0.113.9");
    expect(networkKey(" 203.0.113.9 ")).toBe("203.0.113.9");
    expect(networkKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(networkKey("::ffff:cb00:7109")).toBe("203.0.113.9");
    expect(networkKey("203.0.113.10")).not.toBe(networkKey("203.0.113.9"));
  });

  it("counts IPv6 by its /64, however the address is written", () => {
    const key = networkKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    for (const same of ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0DB8:0001:0002:0000:0000:0000:0abc", "2001:db8:1:2:a:b:c:d"]) expect(networkKey(same), same).toBe(key);
    for (const other of ["2001:db8:1:3::1", "2001:db8:2:2::1"]) expect(networkKey(other), other).not.toBe(key);
  });

  it("puts a missing or unreadable address under one key of its own", () => {
    expect(networkKey(undefined)).toBe(networkKey(""));
    expect(networkKey("not an address")).toBe(networkKey(undefined));
    expect(networkKey(undefined)).not.toMatch(/\d/);
  });
});

describe("networkLabel (what an audit entry may show)", () => {
  it("is an IPv4 /24 or an IPv6 /48, never the address", () => {
    expect(networkLabel("203.0.113.57")).toBe("203.0.113.0/24");
    expect(networkLabel("::ffff:203.0.113.57")).toBe("203.0.113.0/24");
    expect(networkLabel("2001:db8:abcd:12:3456::9")).toBe("2001:db8:abcd::/48");
    expect(networkLabel(undefined)).toBeNull();
  });
});

describe("starting chats (PATRON_RATE_LIMIT)", () => {
  it("is limited per IPv6 /64: fresh addresses from one /64 share its limit, the next /64 has its own", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    const ask = (ip: string) => call("/api/chats", { method: "POST", headers: { "cf-connecting-ip": ip }, json: { formId, question: "Census records?" } });
    const statuses: number[] = [];
    // wrangler.toml: 20 a minute per key. Each request from a new address in the same /64.
    for (let i = 1; i <= 25 && !statuses.includes(429); i++) statuses.push((await ask(`2001:db8:99:1::${i.toString(16)}`)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    expect((await ask("2001:db8:99:2::1")).status).toBe(201);
  });
});
