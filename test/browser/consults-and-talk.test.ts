/**
 * Librarians working together, in real Chromium, by keyboard, axe clean.
 *
 * A consult: Tia invites Hal into her chat; Hal, looking elsewhere, gets a
 * desktop notification and declines, and Tia hears so; asked again he joins,
 * both write, the patron sees who joined and left; Hal leaves; the second time
 * he keeps the chat through a reload until Tia lets him go; Tia alone ends it —
 * while Wes watches the queue and sees nothing of it.
 *
 * A direct message to a colleague, with presence, an unread count and a
 * desktop notification while the monitor is hidden (none while Busy).
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, recordNotifications, signInToMonitor, useBrowser } from "./browser";
import { TALK_FORM, TALK_HELPER, TALK_OWNER, TALK_WATCHER } from "./fixtures";

const { context } = useBrowser();

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Presses Enter on the control found, after focusing it (keyboard only). */
async function press(page: Page, locator: ReturnType<Page["getByRole"]>, key = "Enter"): Promise<void> {
  await locator.focus();
  await page.keyboard.press(key);
}

/** A patron asks on the hosted form, by keyboard. */
async function patronAsks(question: string, name: string): Promise<Page> {
  const page = await (await context()).newPage();
  await page.goto(`/f/${TALK_FORM.id}`);
  await page.getByLabel("Your question").focus();
  await page.keyboard.type(question);
  await page.getByLabel(/Your name/).focus();
  await page.keyboard.type(name);
  await press(page, page.getByRole("button", { name: "Ask a librarian" }));
  await page.waitForURL(/\/chat\//);
  return page;
}

async function monitorOf(email: string, ctx?: BrowserContext): Promise<Page> {
  const page = await signInToMonitor(ctx ?? (await context()), email, DEMO_PASSWORD);
  await page.getByText(/monitoring:/).first().waitFor();
  return page;
}

/** Tia invites Hal by keyboard from the chat's "Invite a colleague…" dialog. */
async function invite(tia: Page, patron: string): Promise<void> {
  const button = tia.getByRole("button", { name: "Invite a colleague…" });
  await expect.poll(() => button.isEnabled()).toBe(true);
  await press(tia, button);
  const dialog = tia.getByRole("dialog", { name: `Invite a colleague to help with ${patron}` });
  await dialog.getByLabel(/^Hal/).waitFor();
  await expectNoViolations(tia, "the invite dialog");
  await press(tia, dialog.getByLabel(/^Hal/), "Space");
  await press(tia, dialog.getByRole("button", { name: "Invite" }));
  await tia.getByText(`Invited Hal to help with the chat with ${patron}.`).waitFor();
}

/** Hal is told of the invitation and joins it by keyboard. */
async function join(hal: Page, patron: string): Promise<void> {
  await hal.getByRole("status").filter({ hasText: `Tia asks you to help with the chat with ${patron}.` }).waitFor();
  const invitations = hal.getByRole("region", { name: /Invitations to help/ });
  await invitations.waitFor();
  await expectNoViolations(hal, "an invitation to help");
  await press(hal, invitations.getByRole("button", { name: `Join Tia's chat with ${patron}` }));
  await hal.getByRole("tab", { name: new RegExp(patron) }).waitFor();
  await hal.getByText("You are helping Tia, who owns this chat and ends it.").waitFor();
}

describe("a consult", () => {
  it("brings Hal into Tia's chat while Wes watches the queue and sees nothing of it", async () => {
    const stamp = Date.now();
    const patronName = `Pat ${stamp}`;
    const halContext = await context();
    await recordNotifications(halContext);
    const [tia, hal, wes] = [await monitorOf(TALK_OWNER.email), await monitorOf(TALK_HELPER.email, halContext), await monitorOf(TALK_WATCHER.email)];
    await press(hal, hal.getByRole("button", { name: "Desktop notifications" }));
    await expect.poll(() => hal.getByRole("button", { name: "Desktop notifications" }).getAttribute("aria-pressed")).toBe("true");
    const patron = await patronAsks(`Where are the 1962 city directories? ${stamp}`, patronName);
    await tia.locator(".waiting-item", { hasText: String(stamp) }).waitFor();
    await tia.keyboard.press("Alt+Shift+A");
    await tia.getByRole("tab", { name: new RegExp(patronName) }).waitFor();
    await expect.poll(() => wes.getByRole("heading", { name: "Waiting patrons (0)" }).count()).toBe(1);

    // Hal, looking elsewhere, first declines: Tia hears he did not join.
    await setHidden(hal, true);
    await invite(tia, patronName);
    await tia.getByText("Invited Hal to help; waiting for an answer.").waitFor();
    await expect.poll(async () => (await shown(hal)).map((n) => n.title), { timeout: 10_000 }).toContain(`Tia asks you to help: ${patronName}`);
    await setHidden(hal, false);
    await press(hal, hal.getByRole("button", { name: `Decline to help with ${patronName}` }));
    await tia.getByText(`Hal did not join the chat with ${patronName} (declined, or no answer in time).`).waitFor();

    await invite(tia, patronName);
    await join(hal, patronName);
    await patron.getByText(`Hal has joined the chat to help Tia.`).waitFor();

    // Hal writes; the patron and Tia read it. Hal has no End, Transfer or Push.
    await hal.keyboard.type("The directories are in the local history room.");
    await hal.keyboard.press("Enter");
    await patron.getByText("The directories are in the local history room.").waitFor();
    await tia.getByText("The directories are in the local history room.").waitFor();
    const halPane = hal.locator(".session-pane:not([hidden])");
    for (const name of ["End chat…", "Transfer…", "Push a page…", "Invite a colleague…"]) expect(await halPane.getByRole("button", { name }).count()).toBe(0);
    await tia.getByText("Hal is helping.").waitFor();
    await expectNoViolations(hal, "helping in a chat");
    await expectNoViolations(tia, "a chat with a colleague helping");

    // Wes saw no invitation, has no tab, and the waiting list is as it was.
    expect(await wes.getByRole("region", { name: /Invitations to help/ }).count()).toBe(0);
    expect(await wes.getByRole("tab").count()).toBe(0);
    expect(await wes.getByRole("heading", { name: "Waiting patrons (0)" }).count()).toBe(1);

    // Hal leaves; the patron is told.
    await press(hal, hal.getByRole("button", { name: "Leave the chat" }));
    await hal.getByText(`You left the chat with ${patronName}.`).waitFor();
    await patron.getByText("Hal has left the chat.").waitFor();
    await expect.poll(() => hal.getByRole("tab").count()).toBe(0);

    // Asked again, Hal joins; a reload brings the chat back to him; this time Tia lets him go.
    await invite(tia, patronName);
    await join(hal, patronName);
    await hal.reload();
    await hal.getByRole("tab", { name: new RegExp(patronName) }).waitFor();
    await hal.getByText("You are helping Tia, who owns this chat and ends it.").waitFor();
    await press(tia, tia.getByRole("button", { name: "Let Hal go" }));
    await hal.getByText(`You are no longer helping with the chat with ${patronName}.`).waitFor();
    await expect.poll(() => hal.getByRole("tab").count()).toBe(0);

    // Only Tia ends the chat.
    await tia.keyboard.press("Alt+Shift+E");
    const end = tia.getByRole("dialog", { name: `End chat with ${patronName}` });
    await press(tia, end.getByLabel("Answered"), "Space");
    await press(tia, end.getByRole("button", { name: "End chat and save" }));
    await tia.getByText(`Chat ended and saved. (${patronName})`).waitFor();
    expect(await wes.getByRole("tab").count()).toBe(0);
  });
});


const setHidden = (page: Page, hidden: boolean) => page.evaluate((h) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(h), hidden);
const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: { title: string; body: string }[] }).__shown);

/** Chooses the colleague whose option starts with `name` in the Colleague list, by arrow keys. */
async function chooseColleague(page: Page, name: string): Promise<void> {
  const select = page.getByLabel("Colleague", { exact: true });
  // The list arrives after the monitor opens.
  await select.locator("option", { hasText: name }).waitFor({ state: "attached" });
  await select.focus();
  for (let i = 0; i < 10; i++) {
    const label = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
    if (label.replace(/[\u2066-\u2069]/g, "").startsWith(name)) return;
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`no colleague ${name}`);
}

describe("direct messages", () => {
  it("reach a colleague with their presence, count as unread and pop up while the monitor is hidden", async () => {
    const stamp = Date.now();
    const wesContext = await context();
    await recordNotifications(wesContext);
    const wes = await monitorOf(TALK_WATCHER.email, wesContext);
    await press(wes, wes.getByRole("button", { name: "Desktop notifications" }));
    await expect.poll(() => wes.getByRole("button", { name: "Desktop notifications" }).getAttribute("aria-pressed")).toBe("true");
    await wes.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));

    const tia = await monitorOf(TALK_OWNER.email);
    await press(tia, tia.getByRole("button", { name: "Direct messages" }));
    await chooseColleague(tia, "Wes");
    await tia.getByText("Wes is online.").waitFor();
    await tia.getByLabel("Message to Wes").focus();
    await tia.keyboard.type(`Can you take the desk at three? ${stamp}`);
    await tia.keyboard.press("Enter");
    await tia.getByRole("log", { name: "Direct messages with Wes" }).getByText(`Can you take the desk at three? ${stamp}`).waitFor();
    await expectNoViolations(tia, "a direct message sent");

    // Wes, hidden: a notification, the count in the title and on the panel.
    await expect.poll(async () => (await wes.evaluate(() => (window as unknown as { __shown: { title: string; body: string }[] }).__shown)).filter((n) => n.title === "Message from Tia").map((n) => n.body), { timeout: 10_000 }).toEqual([
      `Can you take the desk at three? ${stamp}`,
    ]);
    await expect.poll(() => wes.title(), { timeout: 10_000 }).toMatch(/1 direct/);
    await wes.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(false));
    await press(wes, wes.getByRole("button", { name: /Direct messages \(1 unread\)/ }));
    await chooseColleague(wes, "Tia");
    await wes.getByRole("log", { name: "Direct messages with Tia" }).getByText(`Can you take the desk at three? ${stamp}`).waitFor();
    await expect.poll(() => wes.getByRole("button", { name: /^Direct messages$/ }).count(), { timeout: 10_000 }).toBe(1);
    await expectNoViolations(wes, "a direct message read");

    // Wes answers; it reaches Tia at once.
    await wes.getByLabel("Message to Tia").focus();
    await wes.keyboard.type(`Yes, from three to five. ${stamp}`);
    await wes.keyboard.press("Enter");
    await tia.getByRole("log", { name: "Direct messages with Wes" }).getByText(`Yes, from three to five. ${stamp}`).waitFor();

    // Busy: quiet however hidden.
    await wes.getByLabel("My status").selectOption("busy");
    await wes.evaluate(() => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(true));
    await tia.getByLabel("Message to Wes").focus();
    await tia.keyboard.type(`Thanks! ${stamp}`);
    await tia.keyboard.press("Enter");
    await tia.getByRole("log", { name: "Direct messages with Wes" }).getByText(`Thanks! ${stamp}`).waitFor();
    await wes.waitForTimeout(500);
    expect((await wes.evaluate(() => (window as unknown as { __shown: { title: string }[] }).__shown)).filter((n) => n.title === "Message from Tia")).toHaveLength(1);
  });
});
