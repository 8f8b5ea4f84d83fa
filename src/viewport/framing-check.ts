/**
 * The framing check the service runs before a page is pushed: the Worker asks
 * for the page itself (GET, redirects followed by hand up to
 * LIMITS.framingRedirects, every hop checked again, one deadline of
 * TIMING.framingCheckMs for all of them), reads only the headers, and judges
 * them with ./framing-policy.ts. Nothing of the page's body is read.
 *
 * Any doubt opens the page in a new window instead — which always works: a
 * page that cannot be reached, answers too slowly, or lives on a private
 * network (./public-address.ts) is not put in the viewport.
 */
import { LIMITS, TIMING } from "../shared/limits";
import { webUrl } from "../shared/web-address";
import { framingVerdict } from "./framing-policy";
import { isPublicHost } from "./public-address";

export interface FramingCheckOptions {
  /** The origin of the page the viewport sits in. */
  embedderOrigin: string;
  /** Local development and tests only (FRAMING_CHECK_ALLOW_PRIVATE): also fetch loopback and private addresses. */
  allowPrivateAddresses: boolean;
  /** How to fetch: the Worker's own `fetch` in production; tests pass the Worker serving its test pages. */
  fetcher?: (request: Request) => Promise<Response>;
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface FramingResult {
  framable: boolean;
  /** Why not, in words the patron and librarian read ("the site does not allow …"); null when framable. */
  reason: string | null;
  /** Where the redirects ended (the address the check judged). */
  finalUrl: string;
}

/** Whether the env var turns the private-address guard off (only the exact string "true" does). */
export function privateAddressesAllowed(env: { FRAMING_CHECK_ALLOW_PRIVATE?: string }): boolean {
  return env.FRAMING_CHECK_ALLOW_PRIVATE === "true";
}

export async function checkFraming(start: URL, opts: FramingCheckOptions): Promise<FramingResult> {
  const fetcher = opts.fetcher ?? ((r: Request) => fetch(r));
  const maxRedirects = opts.maxRedirects ?? LIMITS.framingRedirects;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? TIMING.framingCheckMs);
  let url = start;
  const refuse = (reason: string): FramingResult => ({ framable: false, reason, finalUrl: url.href });
  for (let hop = 0; ; hop++) {
    if (!webUrl(url.href)) return refuse("the page redirects to an address that is not a web page");
    if (!opts.allowPrivateAddresses && !isPublicHost(url.hostname)) {
      return refuse("the address is on a private network, which the service does not check");
    }
    let res: Response;
    try {
      res = await fetcher(new Request(url.href, { method: "GET", redirect: "manual", signal, headers: { Accept: "text/html,*/*;q=0.8", "User-Agent": "Refdesk framing check" } }));
    } catch (error) {
      const timedOut = signal.aborted || (error instanceof Error && error.name === "TimeoutError");
      return refuse(timedOut ? "the page did not answer in time to check it" : "the service could not reach the page to check it");
    }
    // Only the headers matter: let the body go.
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      if (hop >= maxRedirects) return refuse("the page redirects too many times");
      try {
        url = new URL(location, url);
      } catch {
        return refuse("the page redirects to an address that is not a web page");
      }
      continue;
    }
    const verdict = framingVerdict(res.headers, url, opts.embedderOrigin);
    return verdict.allowed ? { framable: true, reason: null, finalUrl: url.href } : refuse(verdict.reason);
  }
}
