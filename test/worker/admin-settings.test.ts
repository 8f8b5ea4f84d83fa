/**
 * Library settings: every setting saved and shown back, each bad value refused
 * with its field named and nothing changed, embedding origins checked, and the
 * audit log scoped to the library.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SETTING_RANGES } from "../../src/shared/admin-limits";
import { call, createForm, createLibrary } from "./helpers";
import { admin, auditCount, expectError, json, signedIn } from "./admin-helpers";

const patch = (libraryId: string, cookie: string, body: unknown) => admin(`/libraries/${libraryId}/settings`, cookie, { method: "PATCH", json: body });

describe("library settings", () => {
  it("saves every setting, shows it back, and records only what changed", async () => {
    const library = await createLibrary({ name: "Birch Library" });
    const boss = await signedIn(library.id, "library_admin");
    const settings = {
      name: "Birch Public Library",
      contactEmail: "ask@birch.test",
      phone: "+1 555 0199",
      websiteUrl: "https://birch.test/",
      timeZone: "Europe/Berlin",
      hoursText: "Mon–Fri 9–18",
      unavailableMessage: "We are offline; leave a question.",
      fallbackLinks: [{ label: "FAQ", url: "https://birch.test/faq" }],
      brandColor: "#0f5132",
      rolloverSeconds: 60,
      waitLimitSeconds: 600,
      retentionDays: 90,
      ipMode: "none",
      mailSenderName: "Birch Reference",
      transcriptTemplate: "Dear {{patronName}}, thanks for chatting with {{libraryName}} on {{date}}.",
      allowedOrigins: ["https://www.birch.test", "https://catalog.birch.test:8443/", "https://www.birch.test"],
    };
    const res = await patch(library.id, boss.cookie, settings);
    expect(res.status, await res.clone().text()).toBe(200);
    const shown = await json<{ settings: Record<string, unknown>; placeholders: string[] }>(await admin(`/libraries/${library.id}/settings`, boss.cookie));
    expect(shown.settings).toMatchObject({ ...settings, allowedOrigins: ["https://www.birch.test", "https://catalog.birch.test:8443"] });
    expect(shown.placeholders).toContain("patronName");

    const log = await json<{ entries: { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[] }>(await admin(`/libraries/${library.id}/audit`, boss.cookie));
    expect(log.entries[0]).toMatchObject({ action: "library.settings_updated", before: { name: "Birch Library", retentionDays: 30 }, after: { name: "Birch Public Library", retentionDays: 90 } });
    // Saving the same values again changes nothing and logs nothing.
    const count = await auditCount(library.id);
    expect(await json(await patch(library.id, boss.cookie, settings))).toMatchObject({ changed: [] });
    expect(await auditCount(library.id)).toBe(count);

    // The origins are what starting a chat from an embedding site checks.
    const formId = await createForm(library.id);
    const fromAllowed = await call("/api/chats", { method: "POST", headers: { Origin: "https://www.birch.test", "cf-connecting-ip": "10.9.0.1" }, json: { formId, question: "Hi" } });
    expect(fromAllowed.status).toBe(201);
    const fromOther = await call("/api/chats", { method: "POST", headers: { Origin: "https://evil.test", "cf-connecting-ip": "10.9.0.2" }, json: { formId, question: "Hi" } });
    expect(fromOther.status).toBe(403);
  });

  it("refuses each bad value with its field named, changing nothing", async () => {
    const library = await createLibrary({ name: "Cedar Library" });
    const boss = await signedIn(library.id, "library_admin");
    const before = await env.DB.prepare("SELECT * FROM libraries WHERE id = ?").bind(library.id).first();
    const audit = await auditCount(library.id);
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ retentionDays: 0 }, "retentionDays", "at least 1"],
      [{ retentionDays: SETTING_RANGES.retentionDays.max + 1 }, "retentionDays", "at most 3650"],
      [{ retentionDays: 2.5 }, "retentionDays", "whole number"],
      [{ rolloverSeconds: SETTING_RANGES.rolloverSeconds.min - 1 }, "rolloverSeconds"],
      [{ waitLimitSeconds: 99999 }, "waitLimitSeconds"],
      [{ rolloverSeconds: 400, waitLimitSeconds: 300 }, "rolloverSeconds", "shorter than the wait limit"],
      [{ timeZone: "Mars/Olympus_Mons" }, "timeZone", "IANA"],
      [{ timeZone: "" }, "timeZone"],
      [{ allowedOrigins: ["https://ok.test", "https://library.test/path"] }, "allowedOrigins.1", "without a path"],
      [{ allowedOrigins: ["library.test"] }, "allowedOrigins.0", "not an origin"],
      [{ allowedOrigins: ["ftp://library.test"] }, "allowedOrigins.0", "https://"],
      [{ allowedOrigins: ["https://library.test?x=1"] }, "allowedOrigins.0"],
      [{ ipMode: "full" }, "ipMode"],
      [{ brandColor: "#ffff00" }, "brandColor", "Too light"],
      [{ contactEmail: "nope" }, "contactEmail"],
      [{ fallbackLinks: [{ label: "FAQ", url: "javascript:alert(1)" }] }, "fallbackLinks.0.url"],
      [{ fallbackLinks: [{ label: "", url: "https://x.test" }] }, "fallbackLinks.0.label"],
      [{ transcriptTemplate: "Hello {{patronNmae}}" }, "transcriptTemplate", "{{patronNmae}} is not a placeholder"],
      [{ name: "" }, "name"],
      [{}, ""],
    ];
    for (const [body, field, words] of cases) {
      const error = await expectError(await patch(library.id, boss.cookie, body), 400, field || undefined);
      if (words) expect(error.message, JSON.stringify(body)).toContain(words);
    }
    expect(await env.DB.prepare("SELECT * FROM libraries WHERE id = ?").bind(library.id).first()).toEqual(before);
    expect(await auditCount(library.id)).toBe(audit);
  });
});

describe("the audit log", () => {
  it("shows a library's administrators their own library's changes only", async () => {
    const a = await createLibrary();
    const b = await createLibrary();
    const adminA = await signedIn(a.id, "library_admin", "Alma");
    const adminB = await signedIn(b.id, "library_admin", "Bert");
    await patch(a.id, adminA.cookie, { hoursText: "Always" });
    await patch(b.id, adminB.cookie, { hoursText: "Never" });
    const logA = await json<{ entries: { libraryId: string; actorName: string; createdAt: number }[] }>(await admin(`/libraries/${a.id}/audit`, adminA.cookie));
    expect(logA.entries).toHaveLength(1);
    expect(logA.entries[0]).toMatchObject({ libraryId: a.id, actorName: "Alma" });
    expect(logA.entries[0]!.createdAt).toBeGreaterThan(Date.now() - 60_000);
    await expectError(await admin(`/libraries/${b.id}/audit`, adminA.cookie), 403);
  });
});
