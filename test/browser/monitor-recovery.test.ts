/**
 * A librarian who reloads the monitor, or whose connection drops, gets back
 * their status, queues, open chats, staff messages and unsent draft, and loses
 * no message either way; presence shows the drop to colleagues while it lasts.
 * A chat the patron left waits in the monitor — across a reload — for its codes.
 * The new-request chime (WebAudio) and title, and muting it, are remembered too.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { signInToMonitor, useBrowser } from "./browser";

const { context } = useBrowser();

/**
 * Keeps every WebSocket the page opens within reach, so the test can cut them
 * the way a network drop does (the page's own reconnect logic then takes over).
 */
async function trackSockets(c: BrowserContext): Promise<void> {
  await c.addInitScript(() => {
    const Real = window.WebSocket;
    const open: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = open;
    window.WebSocket = class extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        open.push(this);
      }
    };
  });
}

async function dropConnections(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const ws of (window as unknown as { __sockets: WebSocket[] }).__sockets) if (ws.readyState <= 1) ws.close();
  });
}

describe("the monitor after a reload or a lost connection", () => {
  it("brings back status, queues, chats, staff messages and drafts, and loses no message", async () => {
    const stamp = Date.now();
    const lisaContext = await context();
    await trackSockets(lisaContext);
    const lisa = await signInToMonitor(lisaContext, "lisa@springfield-library.example", DEMO_PASSWORD);
    const marge = await signInToMonitor(await context(), "marge@springfield-library.example", DEMO_PASSWORD);

    // Lisa's shift: busy, and monitoring the cooperative queue as well.
    await lisa.getByLabel("My status").selectOption("busy");
    await lisa.getByLabel(/Monitor Statewide/).check();
    await marge.locator(".presence li", { hasText: "Lisa" }).getByText("(busy)").waitFor();

    const patron = await (await context()).newPage();
    await patron.goto("/f/springfield-chat");
    const question = `Can I renew a book that is overdue? ${stamp}`;
    await patron.getByLabel("Your question").fill(question);
    await patron.getByLabel(/Your name/).fill("Milhouse");
    await patron.getByRole("button", { name: "Ask a librarian" }).click();
    await patron.waitForURL(/\/chat\//);
    await lisa.locator(".waiting-item", { hasText: question }).getByRole("button", { name: /^Accept/ }).click();
    const log = lisa.getByRole("log", { name: "Chat with Milhouse" });
    const patronLog = patron.getByRole("log", { name: "Chat messages" });
    await lisa.getByLabel("Message to Milhouse").fill(`Yes, you can. ${stamp}`);
    await lisa.getByLabel("Message to Milhouse").press("Enter");
    await patronLog.getByText(`Yes, you can. ${stamp}`).waitFor();

    // A direct staff message from Marge, and a draft Lisa has not sent yet.
    await marge.getByLabel("Send to").selectOption({ label: "Lisa only" });
    await marge.getByLabel("Message to staff").fill(`Lisa, can you cover the desk at 3? ${stamp}`);
    await marge.getByLabel("Message to staff").press("Enter");
    const staffLog = lisa.getByRole("log", { name: "Staff chat history" });
    await staffLog.getByText(`Lisa, can you cover the desk at 3? ${stamp}`).waitFor();
    await lisa.getByLabel("Message to Milhouse").fill("Half-typed answer");

    // ---- reload ----
    await lisa.reload();
    await lisa.getByRole("tab", { name: /Milhouse/ }).waitFor();
    expect(await lisa.getByLabel("My status").inputValue()).toBe("busy");
    expect(await lisa.getByLabel(/Monitor Statewide/).isChecked()).toBe(true);
    await lisa.locator(".presence li", { hasText: "You" }).getByText("(busy)").first().waitFor();
    await log.getByText(question).waitFor();
    await log.getByText(`Yes, you can. ${stamp}`).waitFor();
    await staffLog.getByText(`Lisa, can you cover the desk at 3? ${stamp}`).waitFor();
    await expect.poll(() => lisa.getByLabel("Message to Milhouse").inputValue()).toBe("Half-typed answer");

    // ---- the connection drops and stays down for a while ----
    await lisaContext.setOffline(true);
    await dropConnections(lisa);
    await lisa.getByText("Connection lost. Reconnecting…").waitFor();
    await marge.locator(".presence li", { hasText: "Lisa" }).getByText(/reconnecting/).waitFor();
    await patron.getByLabel("Your message").fill(`Are you still there? ${stamp}`);
    await patron.getByLabel("Your message").press("Enter");
    await lisa.getByLabel("Message to Milhouse").fill(`Still here, one moment. ${stamp}`);
    await lisa.getByLabel("Message to Milhouse").press("Enter");
    await lisa.locator(".msg-pending", { hasText: `Still here, one moment. ${stamp}` }).waitFor();
    await lisaContext.setOffline(false);

    // Back: what the patron wrote meanwhile arrives, what Lisa wrote goes out — once each.
    await log.getByText(`Are you still there? ${stamp}`).waitFor({ timeout: 30_000 });
    await patronLog.getByText(`Still here, one moment. ${stamp}`).waitFor({ timeout: 30_000 });
    await expect.poll(() => lisa.locator(".msg-pending").count(), { timeout: 10_000 }).toBe(0);
    expect(await log.getByText(`Still here, one moment. ${stamp}`).count()).toBe(1);
    expect(await patronLog.getByText(`Still here, one moment. ${stamp}`).count()).toBe(1);
    await expect.poll(() => marge.locator(".presence li", { hasText: "Lisa" }).textContent(), { timeout: 30_000 }).not.toContain("reconnecting");

    // The patron leaves: the chat waits for its codes, across a reload too.
    await patron.getByRole("button", { name: "End chat" }).click();
    await patron.getByRole("button", { name: "Yes, end chat" }).click();
    await lisa.getByRole("tab", { name: /Milhouse — left, needs codes/ }).waitFor();
    await lisa.getByText("Milhouse has left. This chat waits for its codes.").waitFor();
    await lisa.reload();
    await lisa.getByRole("tab", { name: /Milhouse — left, needs codes/ }).waitFor();
    await lisa.getByText("1 chat waits for its codes: the patron left.").waitFor();
    await lisa.getByRole("button", { name: "Choose codes and end" }).click();
    const end = lisa.getByRole("dialog", { name: "End chat with Milhouse" });
    await end.getByText("The patron has left.").waitFor();
    await end.getByLabel("Answered").check();
    await end.getByRole("button", { name: "End chat and save" }).click();
    await lisa.getByText("Chat ended and saved. (Milhouse)").waitFor();
    expect(await lisa.getByRole("tab", { name: /Milhouse/ }).count()).toBe(0);

    // Leave the demo librarian as the other tests expect to find her.
    await lisa.getByLabel(/Monitor Statewide/).uncheck();
    await lisa.getByLabel("My status").selectOption("online");
  });
});

describe("new-request notifications", () => {
  it("chimes and flags the title for a new request; muting is remembered across a reload", async () => {
    const stamp = Date.now();
    const margeContext = await context();
    // Count the chime's tones as WebAudio plays them.
    await margeContext.addInitScript(() => {
      const w = window as unknown as { __tones: number };
      w.__tones = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode["start"]>) {
        w.__tones += 1;
        return start.apply(this, args);
      };
    });
    const marge = await signInToMonitor(margeContext, "marge@springfield-library.example", DEMO_PASSWORD);
    const tones = () => marge.evaluate(() => (window as unknown as { __tones: number }).__tones);
    // Browsers let a page make sound only after a click or key press on it.
    await marge.getByRole("heading", { name: "Chat monitor" }).click();
    const sound = marge.getByRole("button", { name: "Sound for new requests" });
    expect(await sound.getAttribute("aria-pressed")).toBe("true");

    const ask = async (question: string) => {
      const patron = await (await context()).newPage();
      await patron.goto("/f/springfield-chat");
      await patron.getByLabel("Your question").fill(question);
      await patron.getByRole("button", { name: "Ask a librarian" }).click();
      await patron.waitForURL(/\/chat\//);
      await marge.locator(".waiting-item", { hasText: question }).waitFor();
      return patron;
    };
    const leave = async (patron: Page) => {
      await patron.getByRole("button", { name: "End chat" }).click();
      await patron.getByRole("button", { name: "Yes, end chat" }).click();
      await patron.getByText(/ended/i).first().waitFor();
    };

    const first = await ask(`Chime check one ${stamp}`);
    await expect.poll(tones).toBeGreaterThan(0);
    await expect.poll(() => marge.title()).toMatch(/\(\d+ waiting\) Chat monitor/);
    await leave(first);

    // Muted, and still muted after a reload: no tone for the next request.
    await sound.click();
    expect(await sound.getAttribute("aria-pressed")).toBe("false");
    await marge.reload();
    await marge.getByRole("heading", { name: "Chat monitor" }).click();
    expect(await marge.getByRole("button", { name: "Sound for new requests" }).getAttribute("aria-pressed")).toBe("false");
    const second = await ask(`Chime check two ${stamp}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(await tones()).toBe(0);
    await leave(second);

    // Alt+Shift+N turns it back on.
    await marge.keyboard.press("Alt+Shift+N");
    expect(await marge.getByRole("button", { name: "Sound for new requests" }).getAttribute("aria-pressed")).toBe("true");
  });
});
