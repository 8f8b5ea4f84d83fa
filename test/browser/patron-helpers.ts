/**
 * Helpers for the patron-side browser tests: the Qwidget inside its shadow
 * root (Playwright's CSS and role locators pierce open shadow roots), the
 * chat sockets a page holds open, and a librarian answering from the monitor.
 */
import type { BrowserContext, Page, WebSocket } from "playwright-core";
import { expect } from "vitest";
import { CHAT_RECORD_KEY, type ChatRecord } from "../../src/client/qwidget/chat-record";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { baseUrl, signInToMonitor } from "./browser";

/** The launcher button of the page's Qwidget. */
export const launcher = (page: Page) => page.locator("refdesk-qwidget .launcher");
/** The Qwidget's panel (a non-modal dialog). */
export const panel = (page: Page) => page.locator("refdesk-qwidget #rd-panel");

/** The id of the element focused inside the Qwidget's shadow root ("" when focus is elsewhere). */
export function focusedInWidget(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector("refdesk-qwidget");
    if (!host || document.activeElement !== host) return "";
    const el = host.shadowRoot!.activeElement;
    return el ? el.id || el.className || el.tagName : "";
  });
}

/** The chat the Qwidget keeps in the site's localStorage, if any. */
export function chatRecord(page: Page): Promise<ChatRecord | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null") as ChatRecord | null, CHAT_RECORD_KEY);
}

/** Keeps the set of chat-session sockets a page has open, as they open and close. */
export function trackChatSockets(page: Page, open: Set<WebSocket>): void {
  page.on("websocket", (ws) => {
    if (!ws.url().includes("/api/chats/")) return;
    open.add(ws);
    ws.on("close", () => open.delete(ws));
  });
}

/** A librarian of Springfield at the monitor, ready to accept and chat. */
export async function springfieldLibrarian(context: BrowserContext, email = "marge@springfield-library.example"): Promise<Page> {
  const monitor = await signInToMonitor(context, email, DEMO_PASSWORD);
  await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);
  return monitor;
}

/** Accepts the waiting request with `question` and says `message` to the patron. */
export async function acceptAndSay(monitor: Page, question: string, patronName: string, message: string): Promise<void> {
  await monitor.locator(".waiting-item", { hasText: question }).getByRole("button", { name: /^Accept/ }).click();
  await monitor.getByRole("tab", { name: patronName }).waitFor();
  await monitor.getByLabel(`Message to ${patronName}`).fill(message);
  await monitor.getByLabel(`Message to ${patronName}`).press("Enter");
}

/** Ends the librarian's open chat with `patronName` as answered. */
export async function endAsAnswered(monitor: Page, patronName: string): Promise<void> {
  await monitor.getByRole("tab", { name: patronName }).click();
  await monitor.getByRole("button", { name: "End chat…" }).click();
  const dialog = monitor.getByRole("dialog", { name: `End chat with ${patronName}` });
  await dialog.getByLabel("Answered").check();
  await dialog.getByRole("button", { name: "End chat and save" }).click();
  await monitor.getByText("Chat ended and saved.").waitFor();
}

/** Waits until no librarian monitors Springfield's queue (a closed monitor counts for a grace period). */
export async function untilSpringfieldUnstaffed(): Promise<void> {
  await expect
    .poll(async () => ((await (await fetch(`${baseUrl()}/api/embed/status?form=springfield-chat`)).json()) as { available: boolean }).available, { timeout: 45_000, interval: 1_000 })
    .toBe(false);
}
