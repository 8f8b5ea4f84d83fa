/**
 * Real Chromium for the page tests (Debian's /usr/bin/chromium through
 * playwright-core), plus helpers: sign a librarian in, read sent mail back
 * from the files wrangler's send_email binding writes, run axe-core.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PostalMime, { type Email } from "postal-mime";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function baseUrl(): string {
  return inject("baseUrl");
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

export async function newContext(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), ...options });
}

export interface BrowserHarness {
  /** A fresh browser context against the test server, closed after the test even when it fails. */
  context(options?: Parameters<Browser["newContext"]>[0]): Promise<BrowserContext>;
  /** The file's Chromium, for what `context` does not cover. */
  browser(): Browser;
}

/**
 * One Chromium per test file, and every context a test opens closed after that
 * test — a monitor left open would keep its queue staffed for the next test.
 */
export function useBrowser(): BrowserHarness {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async context(options = {}) {
      const c = await newContext(browser, options);
      contexts.push(c);
      return c;
    },
    browser: () => browser,
  };
}

/** Signs a librarian in through the real sign-in page and lands on `next`. */
export async function signInTo(context: BrowserContext, email: string, next: string, password: string = DEMO_PASSWORD): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${next}`);
  return page;
}

/** Signs a librarian in through the real sign-in page and opens the monitor. */
export async function signInToMonitor(context: BrowserContext, email: string, password: string = DEMO_PASSWORD): Promise<Page> {
  const page = await signInTo(context, email, "/monitor", password);
  await page.getByRole("heading", { name: "Chat monitor" }).waitFor();
  return page;
}

/** Every mail the local send_email binding has written, parsed, oldest first. */
export async function sentMails(): Promise<Email[]> {
  const log = readFileSync(inject("wranglerLog"), "utf8");
  const files = [...log.matchAll(/Email: (\S+\.eml)/g)].map((m) => m[1]!);
  return Promise.all([...new Set(files)].map((f) => PostalMime.parse(readFileSync(f))));
}

/** Waits until a mail to `to` whose text contains `needle` has been written. */
export async function waitForMail(to: string, needle: string, timeoutMs = 20_000): Promise<Email> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await sentMails()).find((m) => m.to?.some((a) => a.address === to) && (m.text ?? "").includes(needle));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} containing "${needle}" within ${timeoutMs} ms`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core (WCAG 2.x A/AA and best-practice rules) on the page and returns its violations. */
export async function axeViolations(page: Page, selector?: string): Promise<{ id: string; help: string; nodes: string[] }[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (sel) => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await w.axe.run(sel ? { include: [sel] } : document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  }, selector ?? null);
}

/** Records every notification the page makes, and lets the test hide the tab (Chromium keeps a test page visible). */
export async function recordNotifications(ctx: BrowserContext): Promise<void> {
  await ctx.grantPermissions(["notifications"], { origin: baseUrl() });
  await ctx.addInitScript(() => {
    const w = window as unknown as { __shown: { title: string; body: string }[]; __setHidden: (hidden: boolean) => void; Notification: typeof Notification };
    w.__shown = [];
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        w.__shown.push({ title, body: options?.body ?? "" });
        super(title, options);
      }
    }
    Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
    (Recorded as unknown as { requestPermission: typeof Notification.requestPermission }).requestPermission = Real.requestPermission.bind(Real);
    w.Notification = Recorded;
    let hidden = false;
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
    w.__setHidden = (h: boolean) => {
      hidden = h;
      document.dispatchEvent(new Event("visibilitychange"));
    };
  });
}
