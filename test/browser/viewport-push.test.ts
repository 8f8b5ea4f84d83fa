/**
 * Chat with viewport in real Chromium: a patron on the hosted chat
 * page of a "chat with viewport" form; the librarian pushes pages from the
 * monitor. A page that allows framing opens beside the chat (sandboxed frame,
 * titled); pages that forbid it (X-Frame-Options, CSP frame-ancestors) open in
 * a new window with a line in the chat; the co-browse check reaches the
 * patron details; the pane resizes by keyboard, closes and comes back, sits
 * below the chat on a phone; every push is in the transcript mail. axe-clean.
 */
import { chromium, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { VIEWPORT_SANDBOX, VIEWPORT_SIZE } from "../../src/client/patron/extras/ViewportPane";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, baseUrl, CHROMIUM_PATH, useBrowser, signInToMonitor, waitForMail } from "./browser";
import { COBROWSE_FORM, COBROWSE_LIBRARIAN } from "./fixtures";
import { acceptAndSay, endAsAnswered } from "./patron-helpers";

const { context } = useBrowser();

/** Casey at the monitor, monitoring the test library's queue. */
async function caseyAtTheMonitor(): Promise<Page> {
  const monitor = await signInToMonitor(await context(), COBROWSE_LIBRARIAN.email, DEMO_PASSWORD);
  await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);
  return monitor;
}

/** Pushes `path` (on this server) from the monitor's push dialog; returns the notice the librarian gets. */
async function push(monitor: Page, path: string, title: string): Promise<string> {
  await monitor.getByRole("button", { name: "Push a page…" }).click();
  const dialog = monitor.getByRole("dialog", { name: /Push a page to/ });
  await dialog.getByLabel("Address").fill(`${baseUrl()}${path}`);
  await dialog.getByLabel(/Title/).fill(title);
  await dialog.getByRole("button", { name: "Push page" }).click();
  await dialog.waitFor({ state: "detached" });
  const notice = monitor.locator(".notice[role=status]");
  await expect.poll(() => notice.textContent()).toContain(title);
  return (await notice.textContent()) ?? "";
}

describe("chat with viewport on the hosted chat page", () => {
  it("shows framable pushes beside the chat, opens the others in a new window with a line in the chat, and keeps every push", async () => {
    const monitor = await caseyAtTheMonitor();
    const patron = await (await context()).newPage();
    const question = `Can you show me the catalog? ${Date.now()}`;
    await patron.goto(`/f/${COBROWSE_FORM.id}`);
    await patron.getByLabel("Your question").fill(question);
    await patron.getByLabel(/Your name/).fill("Vera");
    await patron.getByLabel(/Your e-mail/).fill("vera@patron.example");
    await patron.getByRole("button", { name: "Ask a librarian" }).click();
    await patron.waitForURL("**/chat/**");
    // The viewport is there from the start, empty until a page is pushed.
    await patron.getByText("Pages your librarian shares with you open here.").waitFor();

    await acceptAndSay(monitor, question, "Vera", "Hello Vera, let me show you.");
    await patron.getByText("Hello Vera, let me show you.").waitFor();
    // The co-browse check, in the patron details.
    const details = monitor.locator(".browser-check");
    await expect.poll(() => details.textContent()).toContain("Available. Pushed pages open beside the chat");
    expect(await details.textContent()).toContain("No, on the chat page");
    expect(await details.textContent()).toContain("Not possible. Only on a library page that carries the Qwidget");
    expect(await monitor.getByRole("button", { name: "Ask to co-browse" }).isDisabled()).toBe(true);

    // A page that allows framing opens beside the chat, sandboxed, titled, without our address as referrer.
    expect(await push(monitor, "/demo/framing/allowed", "Allowed page")).toContain("Allowed page is showing beside the chat for Vera.");
    const frame = patron.locator('iframe[title="Shared page: Allowed page"]');
    await frame.waitFor();
    expect(await frame.getAttribute("sandbox")).toBe(VIEWPORT_SANDBOX);
    expect(await frame.getAttribute("referrerpolicy")).toBe("no-referrer");
    await patron.frameLocator('iframe[title="Shared page: Allowed page"]').getByRole("heading", { name: "Framing test page: allowed" }).waitFor();
    await patron.getByText(`Page shown beside the chat: Allowed page — ${baseUrl()}/demo/framing/allowed`).waitFor();
    expect(await axeViolations(patron)).toEqual([]);

    // X-Frame-Options DENY and CSP frame-ancestors 'none': a new window, and the reason in the chat.
    const popup = patron.waitForEvent("popup");
    expect(await push(monitor, "/demo/framing/xfo-deny", "Denied page")).toContain("Denied page opens in a new window for Vera: the site does not allow");
    // The new window opens blank (so it gets no handle on the chat), then goes to the page.
    await (await popup).waitForURL("**/demo/framing/xfo-deny");
    await patron.getByText(/Page opened in a new window \(the site does not allow its pages to be shown inside other pages \(X-Frame-Options: DENY\)\): Denied page/).waitFor();
    const second = patron.waitForEvent("popup");
    expect(await push(monitor, "/demo/framing/csp-none", "No-frames page")).toContain("frame-ancestors 'none'");
    await (await second).waitForURL("**/demo/framing/csp-none");
    // The viewport still shows the framable page; the librarian now knows pop-ups get through.
    expect(await frame.isVisible()).toBe(true);
    await expect.poll(() => details.textContent()).toContain("Pop-upsAllowed");

    // The splitter resizes by keyboard; the pane closes and comes back.
    const splitter = patron.getByRole("separator", { name: "Resize the shared page" });
    expect(await splitter.getAttribute("aria-orientation")).toBe("vertical");
    await splitter.focus();
    await patron.keyboard.press("ArrowLeft");
    expect(await splitter.getAttribute("aria-valuenow")).toBe(String(VIEWPORT_SIZE.initial + VIEWPORT_SIZE.step));
    await patron.keyboard.press("End");
    expect(await splitter.getAttribute("aria-valuenow")).toBe(String(VIEWPORT_SIZE.min));
    const widthAtMin = (await patron.locator(".viewport-pane").boundingBox())!.width;
    await patron.keyboard.press("Home");
    expect((await patron.locator(".viewport-pane").boundingBox())!.width).toBeGreaterThan(widthAtMin * 2);
    await patron.getByRole("button", { name: "Close the shared page" }).click();
    await frame.waitFor({ state: "detached" });
    await patron.getByRole("button", { name: "Show the shared page" }).click();
    await frame.waitFor();

    // On a phone the viewport sits below the chat, and the splitter turns.
    await patron.setViewportSize({ width: 390, height: 800 });
    await expect.poll(() => splitter.getAttribute("aria-orientation")).toBe("horizontal");
    const chatBox = (await patron.locator(".chat-col").boundingBox())!;
    const paneBox = (await patron.locator(".viewport-pane").boundingBox())!;
    expect(paneBox.y).toBeGreaterThanOrEqual(chatBox.y + chatBox.height - 1);
    expect(await axeViolations(patron)).toEqual([]);

    // The monitor's push dialog is axe-clean too, and refuses what is not a web address.
    await monitor.getByRole("button", { name: "Push a page…" }).click();
    const dialog = monitor.getByRole("dialog", { name: /Push a page to/ });
    await dialog.getByLabel("Address").fill("javascript:alert(1)");
    await dialog.getByRole("button", { name: "Push page" }).click();
    await dialog.getByText("Only web addresses (http or https) can be opened for a patron, not javascript: addresses.").waitFor();
    expect(await dialog.getByLabel("Address").getAttribute("aria-invalid")).toBe("true");
    expect(await axeViolations(monitor)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await endAsAnswered(monitor, "Vera");
    const mail = await waitForMail("vera@patron.example", "Page shown beside the chat: Allowed page");
    expect(mail.text).toContain("Page opened in a new window (the site does not allow its pages to be shown inside other pages (X-Frame-Options: DENY)): Denied page");
  });

  it("tells patron and librarian when the browser blocks the new window, with the link to open it by hand", async () => {
    const monitor = await caseyAtTheMonitor();
    // A browser whose pop-up blocker is on (the test browser turns it off by default).
    const strict = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox", "--disable-gpu"], ignoreDefaultArgs: ["--disable-popup-blocking"] });
    try {
      const patron = await (await strict.newContext({ baseURL: baseUrl() })).newPage();
      const question = `Which databases do you have? ${Date.now()}`;
      await patron.goto(`/f/${COBROWSE_FORM.id}`);
      await patron.getByLabel("Your question").fill(question);
      await patron.getByLabel(/Your name/).fill("Ines");
      await patron.getByRole("button", { name: "Ask a librarian" }).click();
      await patron.waitForURL("**/chat/**");
      await acceptAndSay(monitor, question, "Ines", "Let me open that for you.");
      const details = monitor.locator(".browser-check");
      await expect.poll(() => details.textContent()).toContain("Pop-upsNot known yet");
      await push(monitor, "/demo/framing/xfo-deny", "Framing-averse page");
      const line = patron.getByRole("status").filter({ hasText: "Your browser blocked the new window." });
      await line.waitFor();
      expect(await line.getByRole("link", { name: /Open Framing-averse page/ }).getAttribute("href")).toBe(`${baseUrl()}/demo/framing/xfo-deny`);
      await expect.poll(() => details.textContent()).toContain("Pop-upsBlocked");
      expect(await axeViolations(patron)).toEqual([]);
      await endAsAnswered(monitor, "Ines");
    } finally {
      await strict.close();
    }
  });
});
