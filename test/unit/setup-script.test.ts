/**
 * `npm run setup` itself, as an operator runs it, against a fresh local state
 * (the same wrangler commands `--remote` sends to the deployed D1): it applies
 * the migrations, creates the first service administrator and prints a one-use
 * link; run again it refuses clearly and changes nothing; `--reissue` renews
 * a lost link. The link is followed in test/worker/service-setup.test.ts and,
 * in real Chromium, in test/browser/service-admin.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const state = mkdtempSync(path.join(os.tmpdir(), "refdesk-setup-"));

function setup(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "setup.mjs"), "--persist-to", state, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const LINK = /http:\/\/localhost:\d+\/account\/set-password\/([A-Za-z0-9_-]{43})/;

afterAll(() => rmSync(state, { recursive: true, force: true }));

describe("npm run setup", () => {
  it("refuses without a usable address, before touching anything", () => {
    const r = setup("--email", "not-an-address");
    expect(r.code).toBe(2);
    expect(r.err).toContain("Setup refused: give the administrator's e-mail address");
  });

  it("creates the first service administrator and prints a one-use link; then refuses; then renews the link on request", () => {
    const first = setup("--email", "Ops@Refdesk.test", "--name", "Olive Ops");
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("Applying pending migrations");
    expect(first.out).toContain("Created the service administrator ops@refdesk.test");
    const link = LINK.exec(first.out)?.[1];
    expect(link).toBeTruthy();

    const again = setup("--email", "someone.else@refdesk.test");
    expect(again.code).toBe(1);
    expect(again.err).toContain("this installation already has a service administrator (ops@refdesk.test, who has not set a password yet)");
    expect(again.err).toContain("npm run setup -- --email ops@refdesk.test --reissue");
    expect(LINK.test(again.out)).toBe(false);

    const renewed = setup("--email", "ops@refdesk.test", "--reissue");
    expect(renewed.code, renewed.err).toBe(0);
    const fresh = LINK.exec(renewed.out)?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(link);

    const wrong = setup("--email", "someone.else@refdesk.test", "--reissue");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("is not a service administrator here");
  }, 120_000);
});
