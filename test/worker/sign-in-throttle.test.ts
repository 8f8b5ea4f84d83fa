/**
 * The sign-in throttle: guessing is slowed per account address and per
 * network (IPv4 address, IPv6 /64) with growing delays, never locked; the
 * throttle's answer (429 + Retry-After) is the same whether or not the address
 * has an account; a browser that signed in before is not held back by someone
 * else's guessing; every other refusal is one answer; sign-ins and failures
 * are logged for the library's administrators without passwords and with the
 * network only as a /24 or /48.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/password";
import { attemptSignIn } from "../../src/auth/sign-in";
import { SIGN_IN_THROTTLE, delayAfter } from "../../src/auth/sign-in-throttle";
import { database } from "../../src/db/client";
import { SIGN_IN_LOG_KEEP_DAYS } from "../../src/shared/admin-limits";
import { call, createLibrarian, createLibrary, uniqueId, type TestLibrarian } from "./helpers";

const { accountFreeAttempts, networkFreeAttempts, firstDelayMs, maxDelayMs } = SIGN_IN_THROTTLE;

let networkCounter = 0;
/** A network of its own for each caller, so one test's attempts never count against another's. */
function freshIp(): string {
  networkCounter += 1;
  return `198.18.${(networkCounter >> 8) & 255}.${networkCounter & 255}`;
}

interface Answer {
  status: number;
  code: string | undefined;
  message: string | undefined;
  retryAfter: number | null;
  cookies: string[];
}

async function signInFrom(ip: string, email: string, password: string, cookie?: string): Promise<Answer> {
  const res = await call("/api/auth/sign-in", { method: "POST", cookie, headers: { "cf-connecting-ip": ip }, json: { email, password } });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  const retryAfter = res.headers.get("retry-after");
  return { status: res.status, code: body.error?.code, message: body.error?.message, retryAfter: retryAfter === null ? null : Number(retryAfter), cookies: res.headers.getSetCookie() };
}

/** Each attempt from a network of its own: only the account address counts them together. */
const fromAnywhere = (email: string, password: string) => signInFrom(freshIp(), email, password);

async function librarian(): Promise<TestLibrarian> {
  const library = await createLibrary();
  return createLibrarian(library.id, "Rosa");
}

const cookieNamed = (answer: Answer, name: string) => answer.cookies.find((c) => c.startsWith(`${name}=`))?.split(";")[0];

describe("the delays", () => {
  it("are free up to the allowance, then start at firstDelayMs and double up to maxDelayMs", () => {
    expect(delayAfter(accountFreeAttempts - 1, accountFreeAttempts)).toBe(0);
    expect(delayAfter(accountFreeAttempts, accountFreeAttempts)).toBe(firstDelayMs);
    expect(delayAfter(accountFreeAttempts + 1, accountFreeAttempts)).toBe(2 * firstDelayMs);
    expect(delayAfter(accountFreeAttempts + 2, accountFreeAttempts)).toBe(4 * firstDelayMs);
    expect(delayAfter(accountFreeAttempts + 1000, accountFreeAttempts)).toBe(maxDelayMs);
    expect(maxDelayMs).toBeLessThanOrEqual(15 * 60_000);
  });
});

describe("throttling one account address", () => {
  it(`holds the address back after ${accountFreeAttempts} wrong passwords from anywhere — 429 with Retry-After, the right password too — and answers an unknown address exactly alike`, async () => {
    const l = await librarian();
    const unknown = `${uniqueId("nobody")}@library.test`;
    for (const email of [l.email, unknown]) {
      for (let i = 0; i < accountFreeAttempts; i++) expect((await fromAnywhere(email, `wrong-${i}`)).status).toBe(401);
    }
    const heldBack = await fromAnywhere(l.email, l.password);
    const heldBackUnknown = await fromAnywhere(unknown, "whatever");
    for (const answer of [heldBack, heldBackUnknown]) {
      expect(answer).toMatchObject({ status: 429, code: "rate_limited", cookies: [] });
      expect(answer.retryAfter).toBeGreaterThan(firstDelayMs / 1000 - 2);
      expect(answer.retryAfter).toBeLessThanOrEqual(firstDelayMs / 1000);
      expect(answer.message).toMatch(/Try again in \d+ seconds/);
    }
    // Nothing in the answer tells the account from the made-up address.
    expect(heldBackUnknown.message).toBe(heldBack.message);
    expect(heldBackUnknown.retryAfter).toBe(heldBack.retryAfter);
  });

  it("lets an attempt through once the wait has passed, doubling the wait after each further failure, never locking", async () => {
    const l = await librarian();
    const db = database(env.DB);
    const attempt = (password: string, now: number) => attemptSignIn(db, { email: l.email, password, address: freshIp(), deviceToken: null }, now);
    let now = Date.now();
    for (let i = 0; i < accountFreeAttempts; i++) expect(await attempt("wrong", now)).toMatchObject({ ok: false, reason: "invalid" });
    for (let extra = 0; extra < 8; extra++) {
      const wait = delayAfter(accountFreeAttempts + extra, accountFreeAttempts);
      expect(await attempt(l.password, now + wait - 1_000)).toMatchObject({ ok: false, reason: "throttled", retryAfterMs: 1_000 });
      now += wait;
      expect(await attempt("still wrong", now)).toMatchObject({ ok: false, reason: "invalid" });
    }
    // However long the guessing went on, the owner waits at most maxDelayMs.
    expect(await attempt(l.password, now + maxDelayMs)).toMatchObject({ ok: true });
  });

  it("checks no more than the allowance when the wrong passwords arrive all at once", async () => {
    const l = await librarian();
    const guesses = await Promise.all(Array.from({ length: accountFreeAttempts * 4 }, (_, i) => fromAnywhere(l.email, `guess-${i}`)));
    expect(guesses.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(guesses.filter((r) => r.status === 401).length).toBeLessThanOrEqual(accountFreeAttempts);
    expect((await fromAnywhere(l.email, l.password)).status).toBe(429);
  });

  it("forgets earlier wrong passwords after a successful sign-in", async () => {
    const l = await librarian();
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < accountFreeAttempts; i++) expect((await fromAnywhere(l.email, "wrong")).status).toBe(401);
      expect((await fromAnywhere(l.email, l.password)).status).toBe(200);
    }
  });
});

describe("throttling one network", () => {
  it(`holds back an IPv4 address guessing across many addresses after ${networkFreeAttempts} attempts, and no other network`, async () => {
    const ip = freshIp();
    for (let i = 0; i < networkFreeAttempts; i++) expect((await signInFrom(ip, `${uniqueId("spray")}@library.test`, "Password1")).status).toBe(401);
    const l = await librarian();
    expect(await signInFrom(ip, `${uniqueId("spray")}@library.test`, "Password1")).toMatchObject({ status: 429, retryAfter: firstDelayMs / 1000 });
    expect((await signInFrom(ip, l.email, l.password)).status).toBe(429);
    expect((await signInFrom(freshIp(), l.email, l.password)).status).toBe(200);
  });

  it("counts an IPv6 network by its /64: a fresh address in the same /64 is the same network, the next /64 is not", async () => {
    for (let i = 0; i < networkFreeAttempts; i++) {
      expect((await signInFrom(`2001:db8:77:1::${(i + 1).toString(16)}`, `${uniqueId("spray")}@library.test`, "Password1")).status).toBe(401);
    }
    const l = await librarian();
    // Other spellings of addresses in the same /64, an IPv4-mapped one elsewhere.
    expect((await signInFrom("2001:0db8:0077:0001:ffff:ffff:ffff:fffe", l.email, l.password)).status).toBe(429);
    expect((await signInFrom("2001:db8:77:1:abcd::1", l.email, l.password)).status).toBe(429);
    expect((await signInFrom("2001:db8:77:2::1", l.email, l.password)).status).toBe(200);
  });

  it("gives a successful sign-in its attempt back, so colleagues signing in do not use up their network's allowance", async () => {
    const ip = freshIp();
    const colleagues = await Promise.all(Array.from({ length: 3 }, () => librarian()));
    for (let round = 0; round < networkFreeAttempts + 5; round++) {
      const l = colleagues[round % colleagues.length]!;
      expect((await signInFrom(ip, l.email, l.password)).status).toBe(200);
    }
  });
});

describe("a browser that has signed in before", () => {
  it("is not held back by someone else's guessing at its address, and gets an allowance of its own", async () => {
    const l = await librarian();
    const first = await fromAnywhere(l.email, l.password);
    const device = cookieNamed(first, "__Host-refdesk_device");
    expect(device).toMatch(/^__Host-refdesk_device=[A-Za-z0-9_-]{43}$/);
    expect(first.cookies.find((c) => c.startsWith("__Host-refdesk_device="))).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/i);

    // Someone else guesses until the address is held back, and keeps on.
    for (let i = 0; i < accountFreeAttempts + 3; i++) await fromAnywhere(l.email, `guess-${i}`);
    expect((await fromAnywhere(l.email, l.password)).status).toBe(429);
    // The librarian's own browser still signs in, from any network.
    expect((await signInFrom(freshIp(), l.email, l.password, device)).status).toBe(200);
    // Its device cookie does not help with another address.
    const other = await librarian();
    for (let i = 0; i < accountFreeAttempts + 1; i++) await fromAnywhere(other.email, `guess-${i}`);
    expect((await signInFrom(freshIp(), other.email, other.password, device)).status).toBe(429);
    // Its own wrong passwords are throttled on their own key.
    for (let i = 0; i < SIGN_IN_THROTTLE.deviceFreeAttempts; i++) expect((await signInFrom(freshIp(), l.email, "typo", device)).status).toBe(401);
    expect((await signInFrom(freshIp(), l.email, l.password, device)).status).toBe(429);
  });

  it("is trusted only with a device cookie a sign-in set: a made-up one counts like none", async () => {
    const l = await librarian();
    for (let i = 0; i < accountFreeAttempts; i++) await fromAnywhere(l.email, `guess-${i}`);
    expect((await signInFrom(freshIp(), l.email, l.password, `__Host-refdesk_device=${"A".repeat(43)}`)).status).toBe(429);
  });
});

describe("one answer for every other refusal", () => {
  it("gives an unknown address, a wrong password, a disabled account and an invited one the same status and message, in about the same time", async () => {
    const library = await createLibrary();
    // Full-strength hashes, as real accounts have (the fixtures' are weakened for speed).
    const account = async (disabled: boolean, invited = false) => {
      const id = uniqueId("timing");
      const email = `${id}@library.test`;
      await env.DB.prepare("INSERT INTO librarians (id, library_id, email, display_name, password_hash, role, disabled_at) VALUES (?, ?, ?, ?, ?, 'librarian', ?)")
        .bind(id, library.id, email, "Timing", invited ? null : await hashPassword("right password"), disabled ? Date.now() : null)
        .run();
      return email;
    };
    const cases = {
      unknown: { email: `${uniqueId("nobody")}@library.test`, password: "right password" },
      wrongPassword: { email: await account(false), password: "wrong password" },
      disabled: { email: await account(true), password: "right password" },
      invited: { email: await account(false, true), password: "right password" },
    };
    const answers = new Map<string, Answer>();
    const timings: Record<string, number[]> = {};
    for (let round = 0; round < 5; round++) {
      for (const [name, { email, password }] of Object.entries(cases)) {
        const started = performance.now();
        const answer = await fromAnywhere(email, password);
        (timings[name] ??= []).push(performance.now() - started);
        answers.set(name, answer);
      }
    }
    const reference = answers.get("unknown")!;
    expect(reference).toMatchObject({ status: 401, code: "unauthorized" });
    for (const answer of answers.values()) expect({ ...answer, cookies: [] }).toEqual({ ...reference, cookies: [] });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    const medians = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, median(v)]));
    const fastest = Math.min(...Object.values(medians));
    const slowest = Math.max(...Object.values(medians));
    // Each runs one full password hash: none is a shortcut (skipping the hash makes a refusal well over twice as fast).
    expect(slowest / fastest, JSON.stringify(medians)).toBeLessThan(1.8);
  });
});

describe("the sign-in page", () => {
  it("answers a held-back sign-in with 429, a Retry-After header and a message saying when to try again", async () => {
    const l = await librarian();
    for (let i = 0; i < accountFreeAttempts; i++) await fromAnywhere(l.email, "wrong");
    const res = await call("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp() },
      body: new URLSearchParams({ email: l.email, password: l.password }).toString(),
      redirect: "manual",
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.text()).toMatch(/Too many sign-in attempts\. Try again in \d+ seconds\./);
  });
});

describe("what is kept", () => {
  it("logs sign-ins and failures for the library's administrators with the network as a /24 or /48, never a password or the address typed", async () => {
    const library = await createLibrary();
    const l = await createLibrarian(library.id, "Rosa");
    const boss = await createLibrarian(library.id, "Boss", "library_admin");
    const unknown = `${uniqueId("typo")}@library.test`;
    expect((await signInFrom("203.0.113.57", l.email, "secret-guess-1")).status).toBe(401);
    expect((await signInFrom("2001:db8:abcd:12:3456::9", l.email, l.password)).status).toBe(200);
    expect((await signInFrom("203.0.113.58", unknown, "secret-guess-2")).status).toBe(401);
    const bossCookie = cookieNamed(await signInFrom(freshIp(), boss.email, boss.password), "__Host-refdesk_session")!;

    const res = await call(`/api/admin/libraries/${library.id}/sign-ins`, { cookie: bossCookie });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: { librarianId: string; librarianName: string; outcome: string; network: string }[] };
    expect(entries.filter((e) => e.librarianId === l.id).map((e) => [e.outcome, e.librarianName, e.network])).toEqual([
      ["signed_in", "Rosa", "2001:db8:abcd::/48"],
      ["failed", "Rosa", "203.0.113.0/24"],
    ]);
    // A failure for an address with no account belongs to no library, and keeps only the network.
    const orphan = await env.DB.prepare("SELECT library_id, librarian_id FROM sign_in_log WHERE network = '203.0.113.0/24' AND librarian_id IS NULL").all();
    expect(orphan.results).toEqual([{ library_id: null, librarian_id: null }]);
    // Another library's administrator sees none of it.
    const other = await createLibrary();
    const stranger = await createLibrarian(other.id, "Stranger", "library_admin");
    const strangerCookie = cookieNamed(await signInFrom(freshIp(), stranger.email, stranger.password), "__Host-refdesk_session")!;
    expect((await call(`/api/admin/libraries/${library.id}/sign-ins`, { cookie: strangerCookie })).status).toBe(403);

    const everything = JSON.stringify([(await env.DB.prepare("SELECT * FROM sign_in_log").all()).results, (await env.DB.prepare("SELECT * FROM audit_log").all()).results]);
    for (const secret of ["secret-guess-1", "secret-guess-2", l.password, unknown, "203.0.113.57", "203.0.113.58", "2001:db8:abcd:12"]) expect(everything).not.toContain(secret);
  });

  it(`forgets sign-in log entries after ${SIGN_IN_LOG_KEEP_DAYS} days`, async () => {
    const l = await librarian();
    const old = Date.now() - (SIGN_IN_LOG_KEEP_DAYS + 1) * 86_400_000;
    const recent = Date.now() - (SIGN_IN_LOG_KEEP_DAYS - 1) * 86_400_000;
    await env.DB.prepare("INSERT INTO sign_in_log (library_id, librarian_id, outcome, network, created_at) VALUES (?, ?, 'failed', '192.0.2.0/24', ?), (?, ?, 'failed', '192.0.2.0/24', ?)")
      .bind(l.libraryId, l.id, old, l.libraryId, l.id, recent)
      .run();
    expect((await fromAnywhere(l.email, l.password)).status).toBe(200);
    const left = await env.DB.prepare("SELECT created_at FROM sign_in_log WHERE librarian_id = ? AND network = '192.0.2.0/24'").bind(l.id).all<{ created_at: number }>();
    expect(left.results.map((r) => r.created_at)).toEqual([recent]);
  });

  it("keeps the throttle's counts under digests, never an address, an e-mail or a device token", async () => {
    const l = await librarian();
    const first = await signInFrom("192.0.2.44", l.email, l.password);
    await signInFrom("192.0.2.44", l.email, "wrong");
    const rows = JSON.stringify((await env.DB.prepare("SELECT * FROM sign_in_throttle").all()).results);
    const device = cookieNamed(first, "__Host-refdesk_device")!.split("=")[1]!;
    for (const secret of ["192.0.2.44", l.email, device]) expect(rows).not.toContain(secret);
  });
});
