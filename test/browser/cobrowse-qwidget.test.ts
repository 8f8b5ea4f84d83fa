/**
 * Co-browsing in real Chromium: a patron on a test site that
 * carries the Qwidget (public/demo/cobrowse-test/) is asked, sees a clear
 * prompt and agrees; the librarian's monitor shows the page live (rebuilt
 * without its scripts), points at a link (the patron sees it highlighted)
 * and takes the page to another page of the site, which resumes sharing.
 * Every frame the librarian's sockets receive is captured: nothing the patron
 * typed — password, PIN, card number, or any other field — is in any of them.
 * Stop sharing ends the stream at once. The prompt, the sharing bar and the
 * monitor's co-browse view are axe-clean.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { SessionServerMessage } from "../../src/shared/protocol";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, baseUrl, useBrowser, signInToMonitor } from "./browser";
import { COBROWSE_LIBRARIAN } from "./fixtures";
import { acceptAndSay, endAsAnswered, launcher, panel } from "./patron-helpers";

const { context } = useBrowser();

/** Every frame the monitor's chat-session sockets receive, in order, parsed. */
function captureLibrarianFrames(monitor: Page): SessionServerMessage[] {
  const frames: SessionServerMessage[] = [];
  monitor.on("websocket", (ws) => {
    if (!ws.url().includes("/api/chats/")) return;
    ws.on("framereceived", ({ payload }) => {
      const text = typeof payload === "string" ? payload : payload.toString("utf8");
      if (text !== "pong") frames.push(JSON.parse(text) as SessionServerMessage);
    });
  });
  return frames;
}

const SECRETS = { password: "Tr0ub4dor&3-correct-horse", pin: "4321", card: "29000123456789", nickname: "Grandmas reading list zq" };

describe("co-browsing a page that carries the Qwidget", () => {
  it("streams the page with consent, hides what the patron types, follows a navigation, and stops at once", async () => {
    const monitor = await signInToMonitor(await context(), COBROWSE_LIBRARIAN.email, DEMO_PASSWORD);
    const frames = captureLibrarianFrames(monitor);
    await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);

    const patron = await (await context()).newPage();
    await patron.goto("/demo/cobrowse-test/index.html");
    await launcher(patron).click();
    const question = `Help me find the hours page ${Date.now()}`;
    await panel(patron).getByLabel("Your question").fill(question);
    await panel(patron).getByText("More about you (optional)").click();
    await panel(patron).getByLabel(/Your name/).fill("Olga");
    await panel(patron).getByRole("button", { name: "Send", exact: true }).click();
    await panel(patron).getByText("Finding a librarian for you.").waitFor();

    await acceptAndSay(monitor, question, "Olga", "Hi Olga! May I see your page?");
    // The check says co-browsing is possible: the Qwidget, on a library page.
    const details = monitor.locator(".browser-check");
    await expect.poll(() => details.textContent()).toContain("Possible. You can ask to see the patron's page");
    await monitor.getByRole("button", { name: "Ask to co-browse" }).click();
    await monitor.getByText("Waiting for Olga to agree to share their page…").waitFor();

    // A clear prompt in the widget; nothing streams before the patron agrees.
    const prompt = panel(patron).getByRole("group", { name: "Share this page with Casey?" });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain("password, card and PIN fields are never shared");
    expect(frames.some((f) => f.type === "cobrowse.events")).toBe(false);
    expect(await axeViolations(patron)).toEqual([]);
    await prompt.getByRole("button", { name: "Share this page" }).click();

    // While it lasts: a visible "sharing" bar with a stop button.
    const bar = patron.locator("refdesk-qwidget .rd-sharing");
    await expect.poll(() => bar.textContent()).toContain("You are sharing this page with Casey.");
    expect(await bar.getByRole("button", { name: "Stop sharing" }).isVisible()).toBe(true);

    // The monitor shows the page live, rebuilt without its scripts.
    const view = monitor.frameLocator('iframe[title="Olga\'s page (live view)"]');
    await view.getByRole("heading", { name: "Welcome to the co-browse test library" }).waitFor();
    expect(await monitor.locator('iframe[title="Olga\'s page (live view)"]').getAttribute("sandbox")).not.toContain("allow-scripts");
    expect(await axeViolations(monitor, ".sessions-panel")).toEqual([]);

    // The patron types into every field; the librarian's view shows only masks, or nothing.
    await patron.getByLabel("Password").fill(SECRETS.password);
    await patron.getByLabel("PIN").fill(SECRETS.pin);
    await patron.getByLabel("Library card number").fill(SECRETS.card);
    await patron.getByLabel("Name for your reading list").fill(SECRETS.nickname);
    await expect.poll(() => view.locator("#nickname").inputValue(), { timeout: 10_000 }).toBe("*".repeat(SECRETS.nickname.length));
    // Blocked fields arrive as empty boxes of the same size, without even their attributes.
    for (const blocked of ["#account-password", "#account-pin", "#card-number"]) expect(await view.locator(blocked).count(), blocked).toBe(0);
    expect(JSON.stringify(frames).match(/"rr_width"/g)?.length ?? 0).toBeGreaterThanOrEqual(4); // three fields and the Qwidget itself

    // Pointing at a link: the patron sees it highlighted.
    await monitor.getByLabel("Point at").selectOption({ label: "See our hours and locations" });
    await monitor.getByRole("button", { name: "Point", exact: true }).click();
    await expect.poll(() => patron.locator("refdesk-qwidget .rd-highlight").textContent()).toBe("Casey points here");

    // Taking the page elsewhere on the site: the patron's page follows and keeps sharing.
    await monitor.getByLabel("Take the patron to").fill(`${baseUrl()}/demo/cobrowse-test/hours.html`);
    await monitor.getByRole("button", { name: "Go", exact: true }).click();
    await patron.waitForURL("**/demo/cobrowse-test/hours**");
    await expect.poll(() => bar.textContent(), { timeout: 15_000 }).toContain("You are sharing this page with Casey.");
    await view.getByRole("heading", { name: "Hours and locations" }).waitFor({ timeout: 15_000 });
    // Another site is refused (the server says so; the patron's page stays).
    await monitor.getByLabel("Take the patron to").fill("https://elsewhere.example/");
    await monitor.getByRole("button", { name: "Go", exact: true }).click();
    await expect.poll(() => frames.some((f) => f.type === "error" && f.field === "url")).toBe(true);
    expect(patron.url()).toContain("/demo/cobrowse-test/hours");

    // Stop: the stream ends at once — nothing more reaches the librarian, however the patron moves.
    await bar.getByRole("button", { name: "Stop sharing" }).click();
    await bar.waitFor({ state: "detached" });
    await expect.poll(() => frames.some((f) => f.type === "cobrowse" && f.cobrowse.status === "off")).toBe(true);
    const ended = frames.findIndex((f) => f.type === "cobrowse" && f.cobrowse.status === "off");
    await patron.mouse.move(50, 50);
    await patron.mouse.move(300, 200);
    await patron.mouse.wheel(0, 300);
    await new Promise((r) => setTimeout(r, 1500));
    expect(frames.slice(ended).filter((f) => f.type === "cobrowse.events")).toEqual([]);
    await monitor.getByText("Co-browsing with Olga ended.").waitFor();

    // Nothing the patron typed was ever in a frame the librarian received.
    const everything = JSON.stringify(frames);
    expect(frames.filter((f) => f.type === "cobrowse.events").length).toBeGreaterThan(2);
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    // Only "started/ended" lines reach the transcript.
    await monitor.getByText(/Co-browsing started: Olga is sharing a page of/).waitFor();
    await monitor.getByText("Co-browsing ended (stopped by the patron).").waitFor();
    await endAsAnswered(monitor, "Olga");
  });
});
