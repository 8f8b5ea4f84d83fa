// HTTP calls the benchmarks make, as a browser would: librarians sign in and
// send their cookie with our own Origin; patrons start chats from their own
// (simulated) address.
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";

/**
 * Each simulated patron's own address. wrangler dev passes the request's
 * cf-connecting-ip header through (Cloudflare's edge overwrites it in
 * production), so the per-address start limit (PATRON_RATE_LIMIT, 20 a minute)
 * applies per simulated patron, as it would to real patrons.
 */
let nextPatron = 0;
export function patronIp() {
  nextPatron += 1;
  return `10.${(nextPatron >> 16) & 255}.${(nextPatron >> 8) & 255}.${nextPatron & 255}`;
}

/** Signs a librarian in; returns the Cookie header value. */
export async function signIn(base, email, password = DEMO_PASSWORD) {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-refdesk_session="));
  if (!setCookie) throw new Error(`sign-in of ${email} set no cookie`);
  return setCookie.split(";")[0];
}

/** Signs in many librarians, a few at a time (each sign-in runs PBKDF2 on the server). */
export async function signInAll(base, emails, concurrency = 4) {
  const cookies = Array.from({ length: emails.length });
  await forEachLimited(emails, concurrency, async (email, i) => {
    cookies[i] = await signIn(base, email);
  });
  return cookies;
}

/** Starts a chat as a patron; returns the response fields and how long it took. */
export async function startChat(base, { formId, question, name, email, ip = patronIp() }) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/chats`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ formId, question, ...(name ? { name } : {}), ...(email ? { email } : {}) }),
  });
  const body = await res.json();
  const ms = performance.now() - t0;
  return { httpStatus: res.status, ms, ...body };
}

/** A librarian accepts a request. */
export async function accept(base, sessionId, cookie) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/chats/${sessionId}/accept`, { method: "POST", headers: { Cookie: cookie, Origin: base } });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - t0 };
}

/** The stored transcript of a session, read by a librarian who may see it. */
export async function transcript(base, sessionId, cookie) {
  const res = await fetch(`${base}/api/chats/${sessionId}/transcript`, { headers: { Cookie: cookie } });
  if (res.status !== 200) throw new Error(`transcript of ${sessionId}: ${res.status} ${await res.text()}`);
  return (await res.json()).messages;
}

/** The session as a librarian sees it. */
export async function sessionView(base, sessionId, cookie) {
  const res = await fetch(`${base}/api/chats/${sessionId}`, { headers: { Cookie: cookie } });
  if (res.status !== 200) throw new Error(`session ${sessionId}: ${res.status} ${await res.text()}`);
  return (await res.json()).session;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function forEachLimited(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}
