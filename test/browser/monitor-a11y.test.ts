/**
 * Accessibility and keyboard use of the sign-in page and the monitor: axe-core
 * finds nothing on /login (also with an error and after a lock-out) nor on
 * /monitor with open chats and each dialog open; a librarian accepts, chats,
 * switches chats and ends one with the keyboard alone.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, signInToMonitor, useBrowser } from "./browser";
import { KEYBOARD_FORM, KEYBOARD_LIBRARIAN, LOCKOUT_LIBRARIAN } from "./fixtures";

const { context } = useBrowser();

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** The text of the tab that has the keyboard focus, or "" when focus is elsewhere (the page's own text names the patrons too). */
function focusedTab(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement?.getAttribute("role") === "tab" ? (document.activeElement.textContent ?? "") : ""));
}

async function patronAsks(question: string, name: string): Promise<Page> {
  const page = await (await context()).newPage();
  await page.goto(`/f/${KEYBOARD_FORM.id}`);
  await page.getByLabel("Your question").fill(question);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByRole("button", { name: "Ask a librarian" }).click();
  await page.waitForURL(/\/chat\//);
  return page;
}

describe("sign-in page", () => {
  it("has no axe violations, names errors, and says when to try again after too many attempts", async () => {
    const page = await (await context()).newPage();
    await page.goto("/login");
    await expectNoViolations(page, "/login");

    // A wrong password: a clear error, tied to the fields, focus in the password field.
    const email = LOCKOUT_LIBRARIAN.email;
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("That e-mail and password do not match.").waitFor();
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Password").getAttribute("aria-describedby")).toBe("sign-in-error");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("password");
    expect(await page.title()).toContain("error");
    await expectNoViolations(page, "/login with an error");

    // After five wrong passwords the address is held back for a while: the page says for how long,
    // and even the right password waits.
    for (let i = 0; i < 4; i++) {
      await page.getByLabel("Password").fill(`wrong ${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
    }
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText(/Too many sign-in attempts\. Try again in \d+ seconds\./).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await expectNoViolations(page, "/login held back");
  });
});

describe("the monitor by keyboard", () => {
  it("accepts, chats, switches chats and ends with codes using the keyboard alone; axe finds nothing along the way", async () => {
    const stamp = Date.now();
    // A library of its own: no other test file's patrons can be the one "waiting longest".
    const kim = await signInToMonitor(await context(), KEYBOARD_LIBRARIAN.email, DEMO_PASSWORD);
    await kim.getByText(/monitoring:/).first().waitFor();
    await expectNoViolations(kim, "/monitor, empty");

    const first = await patronAsks(`First keyboard question ${stamp}`, "Nelson");
    await kim.locator(".waiting-item", { hasText: `First keyboard question ${stamp}` }).waitFor();
    await expectNoViolations(kim, "/monitor with a waiting patron");

    // Alt+Shift+A accepts the patron who waited longest; the caret lands in the message box.
    await kim.keyboard.press("Alt+Shift+A");
    await kim.getByRole("tab", { name: /Nelson/ }).waitFor();
    await expect.poll(() => kim.evaluate(() => document.activeElement?.getAttribute("aria-describedby") ?? "")).toMatch(/^composer-.*-hint$/);
    await kim.keyboard.type(`Hi Nelson, typed without a mouse. ${stamp}`);
    await kim.keyboard.press("Enter");
    await first.getByRole("log", { name: "Chat messages" }).getByText(`Hi Nelson, typed without a mouse. ${stamp}`).waitFor();

    const second = await patronAsks(`Second keyboard question ${stamp}`, "Ralph");
    await kim.locator(".waiting-item", { hasText: `Second keyboard question ${stamp}` }).waitFor();
    // Tabs: one tab stop, arrow keys move between chats; Alt+Shift+1 jumps to the first. Here the
    // librarian presses it in the very task in which Ralph's chat, just accepted, becomes ready: the
    // caret that readiness brings must not then be taken from Nelson's tab.
    await kim.evaluate(() => {
      const before = new Set(document.querySelectorAll("textarea"));
      const watch = new MutationObserver(() => {
        const ready = [...document.querySelectorAll<HTMLTextAreaElement>("textarea[id^=composer-]")].some((t) => !before.has(t) && !t.disabled);
        if (!ready) return;
        watch.disconnect();
        const keys = { key: "!", code: "Digit1", altKey: true, shiftKey: true, bubbles: true, cancelable: true };
        (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent("keydown", keys));
      });
      watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"] });
    });
    await kim.keyboard.press("Alt+Shift+A");
    await kim.getByRole("tab", { name: /Ralph/ }).waitFor();
    await expect.poll(() => focusedTab(kim)).toContain("Nelson");
    await expect.poll(() => kim.getByRole("tab", { name: /Nelson/ }).getAttribute("aria-selected")).toBe("true");
    // A message in the chat not in front is counted on its tab.
    await second.getByLabel("Your message").fill("Hello?");
    await second.getByLabel("Your message").press("Enter");
    await kim.getByRole("tab", { name: /Ralph \(1 unread\)/ }).waitFor();
    // The arrow keys act on the focused tab: the keyboard user is still on Nelson's.
    await expect.poll(() => kim.evaluate(() => document.activeElement?.id ?? "")).toBe(await kim.getByRole("tab", { name: /Nelson/ }).getAttribute("id"));
    await kim.keyboard.press("ArrowRight");
    await expect.poll(() => kim.getByRole("tab", { name: /Ralph/ }).getAttribute("aria-selected")).toBe("true");
    await expect.poll(() => kim.getByRole("tab", { name: /Ralph/ }).textContent()).not.toContain("unread");
    await expect.poll(() => kim.getByRole("tab", { name: /Nelson/ }).getAttribute("tabindex")).toBe("-1");
    await kim.keyboard.press("ArrowLeft");
    await expect.poll(() => kim.getByRole("tab", { name: /Nelson/ }).getAttribute("aria-selected")).toBe("true");
    await expectNoViolations(kim, "/monitor with two open chats");

    // "?" shows the shortcuts.
    await kim.keyboard.press("?");
    const help = kim.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.getByText("Accept the patron who has waited longest").waitFor();
    await expectNoViolations(kim, "/monitor with the help dialog");
    await kim.keyboard.press("Escape");
    await expect.poll(() => help.count()).toBe(0);

    // The other dialogs, opened by their shortcuts.
    for (const [keys, name] of [
      ["Alt+Shift+L", "Send a link to Nelson"],
      ["Alt+Shift+C", "Canned messages"],
      ["Alt+Shift+R", "Transfer the chat with Nelson"],
    ] as const) {
      await kim.keyboard.press(keys);
      await kim.getByRole("dialog", { name }).waitFor();
      await expectNoViolations(kim, `/monitor with "${name}"`);
      await kim.keyboard.press("Escape");
      await expect.poll(() => kim.getByRole("dialog").count()).toBe(0);
    }

    // End with codes, by keyboard: resolution, a code found by typing, save.
    await kim.keyboard.press("Alt+Shift+E");
    const end = kim.getByRole("dialog", { name: "End chat with Nelson" });
    await end.waitFor();
    await expectNoViolations(kim, "/monitor with open chats and the end dialog");
    await end.getByLabel("Answered").focus();
    await kim.keyboard.press("Space");
    expect(await end.getByLabel("Answered").isChecked()).toBe(true);
    await end.getByLabel("Search codes").focus();
    await kim.keyboard.type("renew");
    await kim.keyboard.press("Enter");
    await end.getByRole("button", { name: "Remove Renewals" }).waitFor();
    await end.getByRole("button", { name: "End chat and save" }).focus();
    await kim.keyboard.press("Enter");
    await kim.getByText("Chat ended and saved. (Nelson)").waitFor();
    await first.getByText(/This chat has ended/).waitFor();
    // Focus went somewhere useful: the remaining chat's tab.
    await expect.poll(() => focusedTab(kim)).toContain("Ralph");

    // Finish the second chat too (the demo librarian is shared by other tests).
    await kim.keyboard.press("Alt+Shift+E");
    const endSecond = kim.getByRole("dialog", { name: "End chat with Ralph" });
    await endSecond.getByLabel("Practice").check();
    await endSecond.getByRole("button", { name: "End chat and save" }).click();
    await kim.getByText("Chat ended and saved. (Ralph)").waitFor();
  });
});
