/**
 * The monitor through a working day, in real Chromium: laid out for a laptop
 * (at least six waiting patrons on 1366 × 768, the conversation over the
 * height with the message box at the bottom, details and staff chat folding
 * away by keyboard; holding at 1280 × 720 and at 200 % zoom), desktop
 * notifications while the tab is hidden (Chromium's notification permission
 * granted to the test context), and the coverage schedule's alert for a
 * library whose shift has begun with nobody online. axe-core finds nothing.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, baseUrl, recordNotifications, signInToMonitor, useBrowser } from "./browser";
import { ALERT_ADMIN, ALERT_FORM, ALERT_LIBRARIAN, ALERT_LIBRARY, LAYOUT_FORM, LAYOUT_LIBRARIAN } from "./fixtures";

const { context } = useBrowser();

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

let patronCount = 0;
/** A patron asks through the API, from an address of their own (requests are limited per address). */
async function ask(formId: string, question: string, name: string): Promise<string> {
  patronCount += 1;
  const res = await fetch(`${baseUrl()}/api/chats`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "cf-connecting-ip": `10.77.${Math.floor(patronCount / 250)}.${patronCount % 250}` },
    body: JSON.stringify({ formId, question, name }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { sessionId: string }).sessionId;
}

/** How the page sits in its window. */
function geometry(page: Page) {
  return page.evaluate(() => {
    const box = (sel: string) => {
      const el = document.querySelector<HTMLElement>(sel);
      const r = el?.getBoundingClientRect();
      return r && el!.offsetParent !== null ? { top: r.top, bottom: r.bottom, height: r.height, width: r.width } : null;
    };
    const rows = [...document.querySelectorAll(".waiting-item")].map((e) => e.getBoundingClientRect());
    return {
      innerHeight,
      innerWidth,
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      rowsInView: rows.filter((r) => r.top >= 0 && r.bottom <= innerHeight).length,
      transcript: box(".session-pane:not([hidden]) .transcript-scroll"),
      composer: box(".session-pane:not([hidden]) .composer textarea"),
      details: box(".session-pane:not([hidden]) .patron-panel"),
    };
  });
}

describe("the monitor laid out for a working day", () => {
  it("shows six waiting patrons on a laptop, the conversation over the height with the message box at the bottom, and folds details and staff chat by keyboard", async () => {
    const stamp = Date.now();
    const lee = await signInToMonitor(await context({ viewport: { width: 1366, height: 768 } }), LAYOUT_LIBRARIAN.email, DEMO_PASSWORD);
    await lee.getByText(/monitoring:/).first().waitFor();
    for (let i = 0; i < 8; i++) await ask(LAYOUT_FORM.id, `Layout question ${i} ${stamp} about the county courthouse records`, `Patron ${i}`);
    await expect.poll(() => lee.locator(".waiting-item", { hasText: String(stamp) }).count()).toBe(8);
    let g = await geometry(lee);
    expect(g.rowsInView).toBeGreaterThanOrEqual(6);
    await expectNoViolations(lee, "the monitor with eight waiting patrons");

    await lee.keyboard.press("Alt+Shift+A");
    await lee.getByRole("tab", { name: /Patron 0/ }).waitFor();
    await expect.poll(async () => (await geometry(lee)).composer !== null).toBe(true);
    g = await geometry(lee);
    // The whole window, no page scroll; the conversation takes most of the height, the message box sits at the bottom.
    expect(g.scrollHeight).toBeLessThanOrEqual(g.innerHeight + 1);
    expect(g.scrollWidth).toBeLessThanOrEqual(g.innerWidth);
    expect(g.transcript!.height).toBeGreaterThan(g.innerHeight * 0.4);
    expect(g.composer!.bottom).toBeLessThanOrEqual(g.innerHeight);
    expect(g.composer!.bottom).toBeGreaterThan(g.innerHeight - 160);
    expect(g.rowsInView).toBeGreaterThanOrEqual(6);
    await expectNoViolations(lee, "the monitor with a chat open");

    // Patron details fold away by keyboard: the conversation widens; and come back.
    const detailsToggle = lee.getByRole("button", { name: "Patron details" });
    expect(await detailsToggle.getAttribute("aria-expanded")).toBe("true");
    const wide = g.transcript!.width;
    await detailsToggle.focus();
    await lee.keyboard.press("Enter");
    await expect.poll(() => detailsToggle.getAttribute("aria-expanded")).toBe("false");
    await expect.poll(async () => (await geometry(lee)).details).toBeNull();
    expect((await geometry(lee)).transcript!.width).toBeGreaterThan(wide);
    // Alt+Shift+D brings them back and goes there.
    await lee.keyboard.press("Alt+Shift+D");
    await expect.poll(() => detailsToggle.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => lee.evaluate(() => document.activeElement?.textContent)).toBe("Patron details");

    // The staff chat folds by its heading's button.
    const staff = lee.getByRole("button", { name: /^Staff chat/ });
    // Enter on the focused button (the locator keeps it focused, however the monitor re-renders meanwhile).
    await staff.press("Enter");
    await expect.poll(() => staff.getAttribute("aria-expanded")).toBe("false");
    expect(await lee.getByLabel("Message to staff").isVisible()).toBe(false);
    await staff.press("Enter");
    await lee.getByLabel("Message to staff").waitFor();
    await expectNoViolations(lee, "the monitor with the staff chat open again");

    // 1280 × 720 holds: six rows, the message box in the window, nothing wider than it.
    await lee.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(async () => (await geometry(lee)).rowsInView).toBeGreaterThanOrEqual(6);
    g = await geometry(lee);
    expect(g.scrollWidth).toBeLessThanOrEqual(g.innerWidth);
    expect(g.composer!.bottom).toBeLessThanOrEqual(g.innerHeight);
  });

  it("holds at 200 % zoom: one column, nothing wider than the window, everything reachable", async () => {
    // 200 % of a 1366 × 768 window leaves 683 × 384 CSS pixels.
    const ctx = await context({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 });
    const lee = await signInToMonitor(ctx, LAYOUT_LIBRARIAN.email, DEMO_PASSWORD);
    await lee.locator(".waiting-item").first().waitFor();
    await lee.keyboard.press("Alt+Shift+A");
    await lee.getByRole("tab").first().waitFor();
    const g = await geometry(lee);
    expect(g.scrollWidth).toBeLessThanOrEqual(g.innerWidth);
    // The message box is where the keyboard takes it, in view, even after the librarian has
    // scrolled the one column up to the waiting list.
    const messageBox = lee.locator(".session-pane:not([hidden]) .composer textarea");
    await expect.poll(() => messageBox.isEnabled()).toBe(true);
    const boxInView = () => messageBox.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= innerHeight);
    await lee.evaluate(() => scrollTo(0, 0));
    expect(await boxInView()).toBe(false);
    await lee.keyboard.press("Alt+Shift+M");
    await expect.poll(() => messageBox.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(boxInView).toBe(true);
    await expectNoViolations(lee, "the monitor at 200 % zoom");
  });
});


const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: { title: string; body: string }[] }).__shown);

describe("desktop notifications", () => {
  it("pop up for a new request and a direct message while the tab is hidden, and stay quiet while busy", async () => {
    const stamp = Date.now();
    const ctx = await context();
    await recordNotifications(ctx);
    const nia = await signInToMonitor(ctx, ALERT_LIBRARIAN.email, DEMO_PASSWORD);
    await nia.getByText(/monitoring:/).first().waitFor();
    // Turned on by a click (here: the keyboard); the permission is the context's.
    const toggle = nia.getByRole("button", { name: "Desktop notifications" });
    await toggle.focus();
    await nia.keyboard.press("Enter");
    await expect.poll(() => toggle.getAttribute("aria-pressed")).toBe("true");
    await expectNoViolations(nia, "the monitor with notifications on");

    // In front: a new request chimes, but pops nothing up.
    await ask(ALERT_FORM.id, `Seen in front ${stamp}`, "Frank");
    await nia.locator(".waiting-item", { hasText: `Seen in front ${stamp}` }).waitFor();
    expect((await shown(nia)).filter((n) => n.title.startsWith("New request"))).toEqual([]);

    // Hidden: it pops up, with the patron, their library and the question's first line; the title and icon count it.
    await nia.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));
    await ask(ALERT_FORM.id, `While hidden ${stamp}`, "Hana");
    await expect.poll(async () => (await shown(nia)).filter((n) => n.title.startsWith("New request"))).toEqual([{ title: `New request: Hana (${ALERT_LIBRARY.name})`, body: `While hidden ${stamp}` }]);
    await expect.poll(() => nia.title()).toMatch(/^New request! \(2 waiting\)/);
    expect(await nia.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? "")).toMatch(/^data:image\/svg\+xml,.*%3E2%3C%2Ftext%3E/);

    // A colleague's direct message pops up too.
    const colleague = await signInToMonitor(await context(), ALERT_ADMIN.email, DEMO_PASSWORD);
    await colleague.getByLabel("Send to").selectOption({ label: `${ALERT_LIBRARIAN.displayName} only` });
    await colleague.getByLabel("Message to staff").fill(`Can you take the next one? ${stamp}`);
    await colleague.getByLabel("Message to staff").press("Enter");
    await expect.poll(async () => (await shown(nia)).filter((n) => n.title === `Message from ${ALERT_ADMIN.displayName}`).map((n) => n.body)).toEqual([`Can you take the next one? ${stamp}`]);

    // Busy: quiet, however hidden.
    await nia.getByLabel("My status").selectOption("busy");
    const before = (await shown(nia)).length;
    await ask(ALERT_FORM.id, `While busy ${stamp}`, "Bo");
    await nia.locator(".waiting-item", { hasText: `While busy ${stamp}` }).waitFor();
    await nia.waitForTimeout(300);
    expect((await shown(nia)).length).toBe(before);

    // Take the three patrons, so no one is left waiting for the other tests of this library.
    await nia.getByLabel("My status").selectOption("online");
    for (let i = 0; i < 3; i++) {
      await nia.keyboard.press("Alt+Shift+A");
      await expect.poll(() => nia.getByRole("tab").count()).toBe(i + 1);
    }
    for (let i = 0; i < 3; i++) {
      await nia.keyboard.press("Alt+Shift+E");
      const end = nia.getByRole("dialog", { name: /^End chat with/ });
      await end.getByLabel("Practice").check();
      await end.getByRole("button", { name: "End chat and save" }).click();
      await expect.poll(() => nia.getByRole("tab").count()).toBe(2 - i);
    }
  });
});

describe("the coverage schedule in the monitor", () => {
  it("shows whose shift it is, and alerts the scheduled library while nobody from it is online, until someone is", async () => {
    const gil = await (await context()).newPage();
    await gil.goto("/login?next=/admin");
    await gil.getByLabel("E-mail").fill(ALERT_ADMIN.email);
    await gil.getByLabel("Password").fill(DEMO_PASSWORD);
    await gil.getByRole("button", { name: "Sign in" }).click();
    await gil.waitForURL("**/admin");
    // A cooperative of its own, and a shift of this library around now (23 hours from an hour ago, UTC).
    const groupId = `alert-coop-${Date.now()}`;
    expect((await gil.request.post("/api/groups", { data: { id: groupId, name: "Alert Cooperative" } })).status()).toBe(201);
    const start = new Date(Date.now() - 3600_000);
    const weekday = ((start.getUTCDay() + 6) % 7) + 1;
    const two = (n: number) => String(n).padStart(2, "0");
    const shift = { libraryId: ALERT_LIBRARY.id, weekday, start: `${two(start.getUTCHours())}:${two(start.getUTCMinutes())}`, end: `${two((start.getUTCHours() + 23) % 24)}:${two(start.getUTCMinutes())}`, endsNextDay: true, timeZone: "UTC" };
    const saved = await gil.request.put(`/api/groups/${groupId}/schedule`, { data: { shifts: [shift] } });
    expect(saved.status(), await saved.text()).toBe(200);

    const nia = await signInToMonitor(await context(), ALERT_LIBRARIAN.email, DEMO_PASSWORD);
    // Not monitoring the cooperative's queue: the alert, and whose shift it is under the queue.
    const banner = nia.locator(".shift-alert");
    await banner.getByText(/Your library's shift on Alert Cooperative .* has begun, and nobody from your library is online on it\./).waitFor();
    await nia.getByText(/On shift: Alert Test Library/).waitFor();
    await expectNoViolations(nia, "the monitor with a shift alert");
    const take = banner.getByRole("button", { name: "Monitor Alert Cooperative now" });
    await take.focus();
    await nia.keyboard.press("Enter");
    await expect.poll(() => nia.getByLabel("Monitor Alert Cooperative (cooperative)").isChecked()).toBe(true);
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
  });
});
