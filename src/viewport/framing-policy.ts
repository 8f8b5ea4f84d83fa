/**
 * Whether a page lets itself be shown in a frame on another page, read from
 * its response headers exactly as browsers do (pure functions; the fetch is in
 * ./framing-check.ts):
 *
 * - An enforced Content-Security-Policy with `frame-ancestors` decides, and
 *   X-Frame-Options is then ignored (CSP Level 3, HTML "X-Frame-Options").
 *   Every enforced policy must allow the embedder; report-only policies do not count.
 * - Otherwise X-Frame-Options: DENY forbids, SAMEORIGIN allows only the page's
 *   own origin, conflicting values forbid, unknown values (ALLOW-FROM,
 *   nonsense) are ignored — the HTML standard's algorithm.
 * - A plain-http page never shows inside an https page (mixed content).
 *
 * "Embedder" is the page the patron's viewport sits in: Refdesk's own chat
 * page, or the library page that carries the Qwidget.
 */

export type FramingVerdict = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: FramingVerdict = { allowed: true };

/** The default port of a scheme the frame check meets. */
function defaultPort(protocol: string): string {
  return protocol === "https:" || protocol === "wss:" ? "443" : protocol === "http:" || protocol === "ws:" ? "80" : "";
}

function effectivePort(url: URL): string {
  return url.port || defaultPort(url.protocol);
}

/**
 * The `frame-ancestors` source list of each enforced policy that has one.
 * `values` are the Content-Security-Policy header values (a combined header
 * may hold several policies, comma-separated). Within a policy the first
 * occurrence of a directive wins.
 */
export function frameAncestorsLists(values: string[]): string[][] {
  const lists: string[][] = [];
  for (const policy of values.flatMap((v) => v.split(","))) {
    for (const directive of policy.split(";")) {
      const tokens = directive.trim().split(/[\t\n\f\r ]+/).filter(Boolean);
      if (tokens.length === 0) continue;
      if (tokens[0]!.toLowerCase() !== "frame-ancestors") continue;
      lists.push(tokens.slice(1));
      // Later duplicates in the same policy are ignored.
      break;
    }
  }
  return lists;
}

/** CSP "scheme-part match": the same scheme, or http(s)/ws(s) upgraded to its secure form. */
function schemeMatches(expected: string, actual: string): boolean {
  const e = expected.toLowerCase().replace(/:$/, "");
  const a = actual.toLowerCase().replace(/:$/, "");
  return e === a || (e === "http" && a === "https") || (e === "ws" && (a === "wss" || a === "http" || a === "https")) || (e === "wss" && a === "https");
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === "*") return true;
  // "*.example.org" matches any subdomain, but not example.org itself.
  if (p.startsWith("*.")) return h.endsWith(p.slice(1));
  return p === h;
}

function portMatches(pattern: string | undefined, sourceScheme: string | null, url: URL): boolean {
  const actual = effectivePort(url);
  if (pattern === "*") return true;
  if (pattern === undefined || pattern === "") {
    // No port: the default port of the source's scheme, or of the URL's own scheme.
    const expected = defaultPort(sourceScheme ? `${sourceScheme}:` : url.protocol);
    return actual === defaultPort(url.protocol) || actual === expected;
  }
  // An http source's port 80 also matches the https upgrade on 443.
  return pattern === actual || (pattern === "80" && actual === "443" && url.protocol === "https:");
}

const HOST_SOURCE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:.]+\])(?::(\*|[0-9]+))?(\/.*)?$/;

/** Whether one source expression of a frame-ancestors list matches the embedder. */
function sourceMatches(source: string, embedder: URL, page: URL): boolean {
  const lower = source.toLowerCase();
  if (lower === "'self'") {
    if (embedder.origin === page.origin) return true;
    // 'self' also covers the page's host over https when the page itself is http.
    return page.protocol === "http:" && embedder.protocol === "https:" && embedder.hostname === page.hostname && portMatches(page.port || undefined, "http", embedder);
  }
  if (lower.startsWith("'")) return false; // other keywords, nonces and hashes mean nothing here
  if (lower === "*") return embedder.protocol === "http:" || embedder.protocol === "https:" || embedder.protocol === page.protocol;
  if (/^[a-z][a-z0-9+.-]*:$/.test(lower)) return schemeMatches(lower, embedder.protocol);
  const m = HOST_SOURCE.exec(source);
  if (!m) return false;
  const [, scheme, host, port] = m;
  if (scheme ? !schemeMatches(scheme, embedder.protocol) : !schemeMatches(page.protocol, embedder.protocol)) return false;
  if (!hostMatches(host!, embedder.hostname)) return false;
  // Paths do not apply: an ancestor is compared by its origin.
  return portMatches(port, scheme ?? null, embedder);
}

/** Whether a frame-ancestors source list lets `embedder` frame `page`. */
export function sourceListAllows(sources: string[], embedder: URL, page: URL): boolean {
  if (sources.length === 0) return false;
  // 'none' counts only on its own; beside other sources it is ignored.
  if (sources.length === 1 && sources[0]!.toLowerCase() === "'none'") return false;
  return sources.some((s) => sourceMatches(s, embedder, page));
}

/** The HTML standard's X-Frame-Options check. `value` is the (combined) header value, or null. */
export function xFrameOptionsVerdict(value: string | null, embedder: URL, page: URL): FramingVerdict {
  if (value === null) return ALLOWED;
  const options = new Set(
    value
      .split(",")
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
  );
  if (options.size === 0) return ALLOWED;
  if (options.size > 1) {
    const meaningful = ["deny", "sameorigin", "allowall"].some((o) => options.has(o));
    return meaningful ? { allowed: false, reason: "the site sends conflicting X-Frame-Options values" } : ALLOWED;
  }
  const [only] = options;
  if (only === "deny") return { allowed: false, reason: "the site does not allow its pages to be shown inside other pages (X-Frame-Options: DENY)" };
  if (only === "sameorigin" && embedder.origin !== page.origin) {
    return { allowed: false, reason: "the site allows its pages inside its own pages only (X-Frame-Options: SAMEORIGIN)" };
  }
  return ALLOWED;
}

/**
 * Whether the page at `page` (its final address, after redirects), answering
 * with `headers`, may be shown in a frame on a page of `embedderOrigin`.
 */
export function framingVerdict(headers: Headers, page: URL, embedderOrigin: string): FramingVerdict {
  const embedder = new URL(embedderOrigin);
  if (embedder.protocol === "https:" && page.protocol === "http:") {
    return { allowed: false, reason: "the page is not secure (http) and browsers do not show it inside a secure page" };
  }
  const csp = headers.get("content-security-policy");
  const lists = csp === null ? [] : frameAncestorsLists([csp]);
  if (lists.length > 0) {
    const refused = lists.find((list) => !sourceListAllows(list, embedder, page));
    if (!refused) return ALLOWED;
    const none = refused.length === 0 || (refused.length === 1 && refused[0]!.toLowerCase() === "'none'");
    return {
      allowed: false,
      reason: none
        ? "the site does not allow its pages to be shown inside other pages (Content-Security-Policy frame-ancestors 'none')"
        : "the site allows its pages inside certain sites only (Content-Security-Policy frame-ancestors)",
    };
  }
  return xFrameOptionsVerdict(headers.get("x-frame-options"), embedder, page);
}
