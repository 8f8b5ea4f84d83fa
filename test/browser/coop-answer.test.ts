/**
 * Cooperative service in real Chromium against wrangler dev with the demo data:
 * nobody from Springfield is monitoring, so a Springfield patron's request rolls
 * over to the statewide cooperative queue; Apu of Shelbyville, monitoring it,
 * accepts in the monitor, opens Springfield's policy page (where the monitor's
 * "Policies" link points), copies a quick answer into the chat, searches the
 * policy pages, and ends the chat. The pages are checked with axe-core.
 */
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, baseUrl, signInToMonitor, useBrowser } from "./browser";

const chromium = useBrowser();

/** Waits until nobody (not even someone inside a grace period) monitors Springfield's own queue, asking as Springfield's administrator. */
async function untilSpringfieldIsUnstaffed(context: BrowserContext): Promise<void> {
  const res = await context.request.post("/api/auth/sign-in", { data: { email: "marge@springfield-library.example", password: DEMO_PASSWORD }, headers: { Origin: baseUrl() } });
  expect(res.status()).toBe(200);
  await expect
    .poll(
      async () => {
        const queues = (await (await context.request.get("/api/queues")).json()) as { queues: { id: string; monitors: unknown[] }[] };
        return queues.queues.find((q) => q.id === "lib:springfield")?.monitors.length;
      },
      { timeout: 45_000, interval: 500 },
    )
    .toBe(0);
}

async function monitorStatewide(context: BrowserContext): Promise<Page> {
  const monitor = await signInToMonitor(context, "apu@shelbyville-library.example", DEMO_PASSWORD);
  const statewide = monitor.getByLabel(/Monitor Statewide Ask a Librarian Cooperative/);
  if (!(await statewide.isChecked())) await statewide.check();
  await expect.poll(() => monitor.locator(".queue-toggles li", { hasText: "Statewide" }).getByText(/\d+ monitoring/).count(), { timeout: 10_000 }).toBe(1);
  return monitor;
}

describe("a cooperative librarian answers another library's patron", () => {
  it("takes a rolled-over Springfield request from the statewide queue and uses Springfield's policy page", async () => {
    const observer = await chromium.context();
    await untilSpringfieldIsUnstaffed(observer);

    const librarianContext = await chromium.context();
    await librarianContext.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
    const monitor = await monitorStatewide(librarianContext);

    const patronContext = await chromium.context();
    const patron = await patronContext.newPage();
    await patron.goto("/f/springfield-chat");
    // Springfield has nobody online, but its cooperative does.
    await patron.getByText("A librarian is online now.").waitFor();
    const question = `Can I renew my books from home? ${Date.now()}`;
    await patron.getByLabel("Your question").fill(question);
    await patron.getByLabel(/Your name/).fill("Bart");
    await patron.getByRole("button", { name: "Ask a librarian" }).click();
    await patron.waitForURL(/\/chat\//);

    const row = monitor.locator(".waiting-item", { hasText: question });
    await row.getByText("Springfield Public Library").waitFor({ timeout: 15_000 });
    await row.getByRole("button", { name: /^Accept/ }).click();
    await monitor.getByRole("tab", { name: /Bart/ }).waitFor();
    await patron.getByText("You are chatting with Apu.").waitFor();

    // The patron library's policy page, where the monitor's Policies link points.
    const policies = await librarianContext.newPage();
    await policies.goto("/policies/springfield");
    await policies.getByRole("heading", { level: 1, name: "Springfield Public Library" }).waitFor();
    const jump = policies.getByRole("navigation", { name: "On this page" });
    await jump.getByRole("link", { name: "Remote database access and proxy" }).click();
    expect(new URL(policies.url()).hash).toBe("#section-remote-access");
    await policies.getByText(/14-digit card number/).waitFor();
    const renewLink = policies.getByRole("link", { name: "renew the card online" });
    expect(await renewLink.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await policies.getByRole("link", { name: "Edit this page" }).count()).toBe(0);

    await policies.getByRole("button", { name: "Copy answer: Renewing items" }).click();
    await policies.getByText("Copied “Renewing items”.").waitFor();
    const copied = await policies.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^You can renew items twice online/);
    expect(await axeViolations(policies)).toEqual([]);

    // Paste the answer into the chat.
    await monitor.bringToFront();
    await monitor.getByLabel("Message to Bart").fill(copied);
    await monitor.keyboard.press("Enter");
    await patron.getByRole("log", { name: "Chat messages" }).getByText(/You can renew items twice online/).waitFor();

    // Search across the cooperative's policy pages, as the monitor's search link does.
    await policies.goto("/policies");
    await policies.getByLabel("Search all policy pages").fill("proxy");
    await policies.getByRole("button", { name: "Search" }).click();
    const results = policies.getByRole("region", { name: /matches? for “proxy”/ });
    await results.getByRole("link", { name: /Springfield Public Library: Remote database access/ }).waitFor();
    expect(await axeViolations(policies)).toEqual([]);

    // A partner may read, not edit.
    const edit = await policies.goto("/policies/springfield/edit");
    expect(edit?.status()).toBe(403);

    await monitor.getByRole("button", { name: "End chat…" }).click();
    const dialog = monitor.getByRole("dialog", { name: /End chat with Bart/ });
    await dialog.getByLabel("Answered").check();
    await dialog.getByRole("button", { name: "End chat and save" }).click();
    await monitor.getByText("Chat ended and saved.").waitFor();
    await patron.getByText(/This chat has ended/).waitFor();

    // Springfield can now leave feedback for Apu.
    const home = await observer.newPage();
    await home.goto("/feedback");
    await home.getByText(question).first().waitFor();
    expect(await axeViolations(home)).toEqual([]);

    await Promise.all([observer.close(), librarianContext.close(), patronContext.close()]);
  });
});
