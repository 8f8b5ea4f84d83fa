/**
 * The framing check's guard against server-side request forgery
 * (src/viewport/public-address.ts): every special-purpose address form is
 * refused — IPv6 forms that carry an IPv4 address inside included — as the
 * URL parser hands it over and as typed; public addresses and names pass.
 * Through the push route, such an address is never fetched.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { isPublicHost } from "../../src/viewport/public-address";
import { activeChat, call, startChat, patronSocket, librarianSocket } from "./helpers";

const REFUSED: Record<string, string[]> = {
  "IPv4-mapped IPv6": ["[::ffff:8.8.8.8]", "[::ffff:808:808]", "[::ffff:127.0.0.1]", "[0:0:0:0:0:ffff:a00:1]"],
  "IPv4-compatible IPv6": ["[::8.8.8.8]", "[::808:808]"],
  "IPv4-translated IPv6 (RFC 6145)": ["[::ffff:0:808:808]"],
  "6to4": ["[2002:808:808::1]", "[2002:7f00:1::1]", "[2002:c0a8:101::1]"],
  Teredo: ["[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001::1]"],
  NAT64: ["[64:ff9b::808:808]", "[64:ff9b::8.8.8.8]", "[64:ff9b::7f00:1]", "[64:ff9b:1::808:808]", "[64:ff9b:1:abcd::1]"],
  "link-local": ["169.254.169.254", "169.254.0.1", "[fe80::1]", "[febf:ffff::1]"],
  "unique local": ["[fc00::1]", "[fd12:3456:789a::1]"],
  "site-local (deprecated)": ["[fec0::1]"],
  loopback: ["127.0.0.1", "127.255.255.254", "[::1]"],
  unspecified: ["0.0.0.0", "0.1.2.3", "[::]"],
  multicast: ["224.0.0.1", "239.255.255.250", "[ff02::1]", "[ff0e::1]"],
  broadcast: ["255.255.255.255"],
  documentation: ["192.0.2.1", "198.51.100.1", "203.0.113.1", "[2001:db8::1]", "[3fff::1]"],
  "carrier-grade NAT": ["100.64.0.1", "100.127.255.254"],
  private: ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1"],
  "reserved and benchmarking": ["240.0.0.1", "198.18.0.1", "192.0.0.8", "[2001:2::1]", "[100::1]"],
  "local names": ["localhost", "app.localhost", "printer.local", "intranet", "nas.home.arpa", "db.internal"],
};

describe("the private-address guard", () => {
  for (const [kind, hosts] of Object.entries(REFUSED)) {
    it(`refuses ${kind}`, () => {
      for (const host of hosts) {
        expect(isPublicHost(host), host).toBe(false);
        // As a URL's parser hands the host over.
        expect(isPublicHost(new URL(`http://${host}/`).hostname), `URL ${host}`).toBe(false);
      }
    });
  }

  it("refuses an address in a spelling no URL would produce, rather than guess", () => {
    for (const host of ["0x7f.1", "2130706433", "127.1", "::ffff:127.0.0.1"]) expect(isPublicHost(host), host).toBe(false);
  });

  it("lets public names and addresses through", () => {
    for (const host of ["www.loc.gov", "8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "[2606:4700:4700::1111]", "[2a00:1450:4001::200e]"]) {
      expect(isPublicHost(host), host).toBe(true);
      expect(isPublicHost(new URL(`http://${host}/`).hostname), `URL ${host}`).toBe(true);
    }
  });
});

describe("pushing a page at such an address", () => {
  it("never fetches it: the page opens in a new window, saying it is on a private network", async () => {
    const chat = await activeChat();
    await env.DB.prepare("UPDATE forms SET chat_method = 'viewport' WHERE id = ?").bind(chat.formId).run();
    const viewport = await startChat(chat.formId);
    expect((await call(`/api/chats/${viewport.sessionId}/accept`, { method: "POST", cookie: chat.cookie })).status).toBe(200);
    await patronSocket(viewport.sessionId, viewport.token);
    await librarianSocket(viewport.sessionId, chat.cookie);
    let n = 0;
    for (const url of ["http://[::ffff:7f00:1]/", "http://[2002:7f00:1::1]/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[fd00::1]:8080/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"]) {
      n += 1;
      const res = await call(`/api/chats/${viewport.sessionId}/push`, { method: "POST", cookie: chat.cookie, json: { url, clientId: `guard-${n}` } });
      expect(res.status, url).toBe(201);
      const { message } = (await res.json()) as { message: { push: { display: string; reason: string } } };
      expect(message.push, url).toMatchObject({ display: "window", reason: expect.stringContaining("private network") });
    }
  });
});
