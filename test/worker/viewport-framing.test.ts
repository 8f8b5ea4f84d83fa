/**
 * The framing check: the header rules as pure functions —
 * X-Frame-Options per the HTML standard, CSP frame-ancestors with 'none',
 * 'self', host sources, wildcards, schemes and ports, several policies, CSP
 * overriding X-Frame-Options, mixed content — the private-address guard, and
 * the fetch itself against the Worker's own test pages (public/demo/framing/,
 * headers from public/_headers, redirects from public/_redirects) served by
 * the real ASSETS binding.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/shared/limits";
import { checkFraming, privateAddressesAllowed } from "../../src/viewport/framing-check";
import { frameAncestorsLists, framingVerdict, sourceListAllows, xFrameOptionsVerdict } from "../../src/viewport/framing-policy";
import { isPublicHost } from "../../src/viewport/public-address";

const PAGE = new URL("https://pages.example/catalog");
const embed = (origin: string) => new URL(origin);
const headers = (h: Record<string, string>) => new Headers(h);
const allowed = (h: Record<string, string>, embedder: string, page = PAGE) => framingVerdict(headers(h), page, embedder).allowed;

describe("X-Frame-Options", () => {
  it("DENY forbids every embedder, SAMEORIGIN all but the page's own origin", () => {
    expect(xFrameOptionsVerdict("DENY", embed("https://pages.example"), PAGE).allowed).toBe(false);
    expect(xFrameOptionsVerdict("deny", embed("https://library.example"), PAGE).allowed).toBe(false);
    expect(xFrameOptionsVerdict("SAMEORIGIN", embed("https://pages.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("SameOrigin", embed("https://library.example"), PAGE).allowed).toBe(false);
    // Another port or scheme is another origin.
    expect(xFrameOptionsVerdict("SAMEORIGIN", embed("https://pages.example:8443"), PAGE).allowed).toBe(false);
    expect(xFrameOptionsVerdict("SAMEORIGIN", embed("http://pages.example"), PAGE).allowed).toBe(false);
  });

  it("ignores ALLOW-FROM, ALLOWALL and nonsense; conflicting values forbid; repeats count once", () => {
    expect(xFrameOptionsVerdict("ALLOW-FROM https://library.example", embed("https://library.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("ALLOWALL", embed("https://library.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("nonsense", embed("https://library.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("", embed("https://library.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("DENY, SAMEORIGIN", embed("https://pages.example"), PAGE).allowed).toBe(false);
    expect(xFrameOptionsVerdict("SAMEORIGIN, nonsense", embed("https://pages.example"), PAGE).allowed).toBe(false);
    expect(xFrameOptionsVerdict("SAMEORIGIN, sameorigin", embed("https://pages.example"), PAGE).allowed).toBe(true);
    expect(xFrameOptionsVerdict("nonsense, other", embed("https://library.example"), PAGE).allowed).toBe(true);
  });
});

describe("CSP frame-ancestors", () => {
  it("finds the directive in each policy (first occurrence wins), across comma-joined policies", () => {
    expect(frameAncestorsLists(["default-src 'self'; frame-ancestors 'self' https://a.example; frame-ancestors *"])).toEqual([["'self'", "https://a.example"]]);
    expect(frameAncestorsLists(["frame-ancestors 'none', frame-ancestors *"])).toEqual([["'none'"], ["*"]]);
    expect(frameAncestorsLists(["default-src 'self'"])).toEqual([]);
    expect(frameAncestorsLists(["FRAME-ANCESTORS   https://a.example\t'self'"])).toEqual([["https://a.example", "'self'"]]);
  });

  it("'none' forbids, alone; an empty list forbids; 'none' beside other sources is ignored", () => {
    const lib = embed("https://library.example");
    expect(sourceListAllows(["'none'"], lib, PAGE)).toBe(false);
    expect(sourceListAllows([], lib, PAGE)).toBe(false);
    expect(sourceListAllows(["'none'", "https://library.example"], lib, PAGE)).toBe(true);
  });

  it("'self' is the page's own origin (and its https upgrade)", () => {
    expect(sourceListAllows(["'self'"], embed("https://pages.example"), PAGE)).toBe(true);
    expect(sourceListAllows(["'self'"], embed("https://library.example"), PAGE)).toBe(false);
    expect(sourceListAllows(["'self'"], embed("https://pages.example"), new URL("http://pages.example/x"))).toBe(true);
    expect(sourceListAllows(["'self'"], embed("http://pages.example"), PAGE)).toBe(false);
  });

  it("host sources match scheme, host and port; *. matches subdomains only; paths do not matter", () => {
    const lib = embed("https://library.example");
    expect(sourceListAllows(["https://library.example"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["library.example"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["http://library.example"], lib, PAGE)).toBe(true); // http source covers the https upgrade
    expect(sourceListAllows(["https://library.example"], embed("http://library.example"), PAGE)).toBe(false);
    expect(sourceListAllows(["https://library.example/some/path"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["https://other.example"], lib, PAGE)).toBe(false);
    expect(sourceListAllows(["*.library.example"], embed("https://www.library.example"), PAGE)).toBe(true);
    expect(sourceListAllows(["*.library.example"], embed("https://a.b.library.example"), PAGE)).toBe(true);
    expect(sourceListAllows(["*.library.example"], lib, PAGE)).toBe(false);
    expect(sourceListAllows(["https://library.example:8443"], embed("https://library.example:8443"), PAGE)).toBe(true);
    expect(sourceListAllows(["https://library.example"], embed("https://library.example:8443"), PAGE)).toBe(false);
    expect(sourceListAllows(["https://library.example:*"], embed("https://library.example:8443"), PAGE)).toBe(true);
  });

  it("scheme sources and * match web embedders; nonces, hashes and other keywords never do", () => {
    const lib = embed("https://library.example");
    expect(sourceListAllows(["https:"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["http:"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["https:"], embed("http://library.example"), PAGE)).toBe(false);
    expect(sourceListAllows(["*"], lib, PAGE)).toBe(true);
    expect(sourceListAllows(["'unsafe-inline'", "'nonce-abc'", "'sha256-xyz'"], lib, PAGE)).toBe(false);
  });

  it("decides over X-Frame-Options when present; every enforced policy must allow; report-only does not count", () => {
    expect(allowed({ "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors *" }, "https://library.example")).toBe(true);
    expect(allowed({ "X-Frame-Options": "DENY", "Content-Security-Policy": "default-src 'self'" }, "https://library.example")).toBe(false);
    expect(allowed({ "Content-Security-Policy": "frame-ancestors *, frame-ancestors 'self'" }, "https://library.example")).toBe(false);
    expect(allowed({ "Content-Security-Policy-Report-Only": "frame-ancestors 'none'" }, "https://library.example")).toBe(true);
    expect(framingVerdict(headers({ "Content-Security-Policy": "frame-ancestors 'none'" }), PAGE, "https://library.example")).toEqual({
      allowed: false,
      reason: expect.stringContaining("frame-ancestors 'none'"),
    });
  });

  it("a plain-http page never shows inside an https page", () => {
    expect(allowed({}, "https://library.example", new URL("http://pages.example/"))).toBe(false);
    expect(allowed({}, "http://library.example", new URL("http://pages.example/"))).toBe(true);
  });
});

describe("the private-address guard", () => {
  it("refuses loopback, private, link-local, CGNAT, multicast and local names", () => {
    const hosts = ["localhost", "app.localhost", "127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "[::1]", "[::]", "[fe80::1]", "[fd00::1]", "[fc00::1]", "[::ffff:7f00:1]", "[::ffff:10.0.0.1]", "[64:ff9b::a00:1]", "printer.local", "intranet", "nas.home.arpa"];
    for (const host of hosts) expect(isPublicHost(host), host).toBe(false);
  });

  it("lets public names and addresses through", () => {
    for (const host of ["www.loc.gov", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]"]) expect(isPublicHost(host), host).toBe(true);
  });

  it("URL parsing folds odd IPv4 spellings into dotted quads before the guard sees them", () => {
    for (const odd of ["http://2130706433/", "http://0x7f.1/", "http://127.1/"]) expect(isPublicHost(new URL(odd).hostname), odd).toBe(false);
  });

  it("is only turned off by FRAMING_CHECK_ALLOW_PRIVATE=\"true\", which the Worker's config leaves off", () => {
    expect(privateAddressesAllowed({ FRAMING_CHECK_ALLOW_PRIVATE: "true" })).toBe(true);
    expect(privateAddressesAllowed({ FRAMING_CHECK_ALLOW_PRIVATE: "1" })).toBe(false);
    expect(privateAddressesAllowed({})).toBe(false);
    expect(privateAddressesAllowed(env)).toBe(false);
  });
});

describe("checkFraming against real pages (the Worker's own test pages)", () => {
  const SITE = "https://refdesk.test";
  const assets = (request: Request) => env.ASSETS.fetch(request);
  const check = (path: string, embedderOrigin: string, extra: Partial<Parameters<typeof checkFraming>[1]> = {}) =>
    checkFraming(new URL(path, SITE), { embedderOrigin, allowPrivateAddresses: false, fetcher: assets, ...extra });

  it("allows a page that says nothing about framing, following the asset server's redirect", async () => {
    expect(await check("/demo/framing/allowed.html", "https://library.example")).toEqual({ framable: true, reason: null, finalUrl: `${SITE}/demo/framing/allowed` });
  });

  it("refuses X-Frame-Options DENY and SAMEORIGIN from another site, allows SAMEORIGIN from its own", async () => {
    expect((await check("/demo/framing/xfo-deny", "https://library.example")).framable).toBe(false);
    expect(await check("/demo/framing/xfo-sameorigin", "https://library.example")).toMatchObject({ framable: false, reason: expect.stringContaining("SAMEORIGIN") });
    expect((await check("/demo/framing/xfo-sameorigin", SITE)).framable).toBe(true);
  });

  it("reads CSP frame-ancestors: 'none', 'self', host lists, and CSP over X-Frame-Options", async () => {
    expect((await check("/demo/framing/csp-none", SITE)).framable).toBe(false);
    expect((await check("/demo/framing/csp-self", SITE)).framable).toBe(true);
    expect((await check("/demo/framing/csp-self", "https://library.example")).framable).toBe(false);
    expect((await check("/demo/framing/csp-hosts", "https://library.example")).framable).toBe(true);
    expect((await check("/demo/framing/csp-hosts", "https://www.partner.example")).framable).toBe(true);
    expect((await check("/demo/framing/csp-hosts", "https://elsewhere.example")).framable).toBe(false);
    expect((await check("/demo/framing/csp-beats-xfo", "https://elsewhere.example")).framable).toBe(true);
  });

  it("judges the page a redirect ends at, and gives up on too many redirects", async () => {
    expect(await check("/demo/framing/moved", "https://library.example")).toMatchObject({ framable: false, finalUrl: `${SITE}/demo/framing/xfo-deny` });
    expect(await check("/demo/framing/moved-allowed", "https://library.example")).toMatchObject({ framable: true, finalUrl: `${SITE}/demo/framing/allowed` });
    expect(await check("/demo/framing/loop-a", "https://library.example")).toMatchObject({ framable: false, reason: "the page redirects too many times" });
    expect(LIMITS.framingRedirects).toBeGreaterThan(1);
  });

  it("never fetches a private address unless allowed, nor follows a redirect to one", async () => {
    let asked = 0;
    const counting = (r: Request) => (asked++, env.ASSETS.fetch(r));
    const refused = await checkFraming(new URL("http://127.0.0.1:8787/demo/framing/allowed"), { embedderOrigin: "http://127.0.0.1:8787", allowPrivateAddresses: false, fetcher: counting });
    expect(refused).toMatchObject({ framable: false, reason: expect.stringContaining("private network") });
    expect(asked).toBe(0);
    const redirecting = async () => new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data/" } });
    expect(await checkFraming(new URL("https://pages.example/"), { embedderOrigin: "https://library.example", allowPrivateAddresses: false, fetcher: redirecting })).toMatchObject({
      framable: false,
      finalUrl: "http://169.254.169.254/latest/meta-data/",
    });
    const toFile = async () => new Response(null, { status: 302, headers: { Location: "file:///etc/passwd" } });
    expect((await checkFraming(new URL("https://pages.example/"), { embedderOrigin: "https://library.example", allowPrivateAddresses: false, fetcher: toFile })).reason).toContain("not a web page");
    // With the local-only switch on, loopback pages are checked like any other.
    const local = await checkFraming(new URL("http://127.0.0.1:8787/demo/framing/xfo-deny"), { embedderOrigin: "http://127.0.0.1:8787", allowPrivateAddresses: true, fetcher: assets });
    expect(local.framable).toBe(false);
  });

  it("opens the page in a new window when it cannot be reached or answers too slowly", async () => {
    const unreachable = async (): Promise<Response> => {
      throw new TypeError("Network connection lost.");
    };
    expect((await checkFraming(new URL("https://pages.example/"), { embedderOrigin: "https://library.example", allowPrivateAddresses: false, fetcher: unreachable })).reason).toContain("could not reach");
    const slow = (r: Request) =>
      new Promise<Response>((resolve, reject) => {
        const t = setTimeout(() => resolve(new Response("late")), 5_000);
        r.signal.addEventListener("abort", () => (clearTimeout(t), reject(r.signal.reason)));
      });
    const result = await checkFraming(new URL("https://pages.example/"), { embedderOrigin: "https://library.example", allowPrivateAddresses: false, fetcher: slow, timeoutMs: 50 });
    expect(result).toMatchObject({ framable: false, reason: "the page did not answer in time to check it" });
  });
});
