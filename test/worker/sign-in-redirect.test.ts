/**
 * Where signing in leads: `next` is honoured only as a path on this site.
 * Every spelling that a browser would read as another host or a script — a
 * second slash, a backslash, encoded slashes, a scheme — is dropped for the
 * monitor, on the sign-in page and on its form post alike.
 */
import { describe, expect, it } from "vitest";
import { localPathOr } from "../../src/shared/local-path";
import { call, createLibrarian, createLibrary } from "./helpers";

/** `next` values as the server receives them (already decoded once). */
const OFF_SITE = ["//evil.example", "/\\evil.example", "\\/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "https://evil.example", "javascript:alert(1)", "/\t/evil.example", " //evil.example"];

const hiddenNext = (page: string) => /<input type="hidden" name="next" value="([^"]*)">/.exec(page)?.[1];

describe("the sign-in page's next", () => {
  it("keeps a local path and replaces everything else with the monitor", async () => {
    expect(hiddenNext(await (await call(`/login?next=${encodeURIComponent("/questions")}`)).text())).toBe("/questions");
    for (const next of OFF_SITE) {
      expect(hiddenNext(await (await call(`/login?next=${encodeURIComponent(next)}`)).text()), next).toBe("/monitor");
      expect(localPathOr(next, "/monitor"), next).toBe("/monitor");
    }
    // The same addresses typed into the address bar undecoded.
    for (const raw of ["%2F%2Fevil.example", "%2F%5Cevil.example", "/%2Fevil.example"]) {
      expect(hiddenNext(await (await call(`/login?next=${raw}`)).text()), raw).toBe("/monitor");
    }
  });

  it("after a good sign-in, redirects only to a local path", async () => {
    const library = await createLibrary();
    const l = await createLibrarian(library.id);
    const post = (next: string) =>
      call("/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: l.email, password: l.password, next }).toString(),
        redirect: "manual",
      });
    const kept = await post("/questions");
    expect([kept.status, kept.headers.get("location")]).toEqual([303, "/questions"]);
    for (const next of OFF_SITE) {
      const res = await post(next);
      expect([res.status, res.headers.get("location")], next).toEqual([303, "/monitor"]);
    }
  });

  it("the JSON sign-in refuses an off-site next with a clear error, changing nothing", async () => {
    for (const next of OFF_SITE) {
      const res = await call("/api/auth/sign-in", { method: "POST", json: { email: "someone@library.test", password: "x", next } });
      expect(res.status, next).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed", field: "next" } });
    }
  });
});
