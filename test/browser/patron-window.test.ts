/**
 * The hosted form and the chat window in real Chromium, as a person meets
 * them: axe-core finds nothing on the form (blank and with errors), the chat
 * page, or the open Qwidget at each step; the form without JavaScript shows
 * problems as a page and what was typed as text; a dropped connection shows
 * "reconnecting…" and loses nothing; targets, reflow at 320 px and 400 % zoom,
 * and reduced motion.
 */
import type { Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, useBrowser } from "./browser";
import { acceptAndSay, endAsAnswered, launcher, panel, springfieldLibrarian } from "./patron-helpers";

const { context } = useBrowser();

const unique = (text: string) => `${text} ${Date.now()}`;

async function expectNoViolations(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), where).toEqual([]);
}

/** Every control's size in the open Qwidget (or the page), for the 24×24 target rule. */
function smallTargets(page: Page, inWidget: boolean): Promise<string[]> {
  return page.evaluate((widget) => {
    const root: ParentNode = widget ? document.querySelector("refdesk-qwidget")!.shadowRoot! : document;
    return [...root.querySelectorAll<HTMLElement>("button, input, select, textarea, summary")]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width < 24 || r.height < 24;
      })
      .map((el) => `${el.tagName}#${el.id}.${el.className} ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`);
  }, inWidget);
}

describe("accessibility, by axe-core and by hand", () => {
  it("the hosted form: blank, then with its errors tied to fields; scripts typed there stay text", async () => {
    const page = await (await context()).newPage();
    await page.goto("/f/capital-u-chat");
    await expectNoViolations(page, "blank form");
    expect(await smallTargets(page, false)).toEqual([]);

    // Without JavaScript the form posts to the server; spaces pass the browser's own check, not ours.
    const name = `"><script>window.__pwned = 1</script>`;
    await page.getByLabel("Your question").fill("   ");
    await page.getByLabel(/Your name/).fill(name);
    await page.getByLabel("Affiliation").selectOption("Graduate student");
    await page.getByRole("button", { name: "Ask a librarian" }).click();
    await page.getByRole("heading", { name: "Your question was not sent" }).waitFor();
    expect(await page.title()).toMatch(/^Error: /);
    // The summary has focus (autofocus, applied once the page has rendered), so a screen reader starts there; each entry links to its field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
    expect(await page.locator(".error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual(["#f-question"]);
    const question = page.getByLabel("Your question", { exact: true });
    expect(await question.getAttribute("aria-invalid")).toBe("true");
    expect(await question.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby")!.split(" ")[0]!)?.textContent)).toBe("Error: Please type your question");
    expect(await page.getByLabel(/Your name/).inputValue()).toBe(name);
    expect(await page.getByLabel("Affiliation").inputValue()).toBe("Graduate student");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectNoViolations(page, "form with errors");
  });

  it("the hosted chat page, waiting and chatting, with the transcript choice and the rating", async () => {
    const monitor = await springfieldLibrarian(await context());
    const page = await (await context()).newPage();
    await page.goto("/f/springfield-chat");
    const question = unique("Can I print from my laptop?");
    await page.getByLabel("Your question").fill(question);
    await page.getByLabel(/Your name/).fill("Milhouse");
    await page.getByLabel(/Your e-mail/).fill("milhouse@patron.example");
    await page.getByRole("button", { name: "Ask a librarian" }).click();
    await page.getByText("Finding a librarian for you.").waitFor();
    await page.getByText(/Waiting \d+:\d\d\. If no librarian is free within 5 minutes/).waitFor();
    await expectNoViolations(page, "chat page, waiting");

    await acceptAndSay(monitor, question, "Milhouse", "Yes, use the Print Anywhere page: https://print.springfield.example/");
    await page.getByRole("log", { name: "Chat messages" }).getByText("Print Anywhere").waitFor();
    // The transcript choice, confirmed by the server.
    const choice = page.getByLabel("E-mail me the transcript at milhouse@patron.example");
    expect(await choice.isChecked()).toBe(true);
    await choice.uncheck();
    await expect.poll(() => choice.isChecked()).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByLabel("E-mail me the transcript at milhouse@patron.example").isChecked()).toBe(false);
    await expectNoViolations(page, "chat page, chatting");
    expect(await smallTargets(page, false)).toEqual([]);

    await endAsAnswered(monitor, "Milhouse");
    await page.getByRole("heading", { name: "How did we do?" }).waitFor();
    await expectNoViolations(page, "chat page, ended with the rating form");
    // A rating is required before sending; the error is tied to the scale.
    await page.getByRole("button", { name: "Send feedback" }).click();
    const scale = page.getByRole("group", { name: /Rate this chat/ });
    expect(await scale.getAttribute("aria-describedby")).toBe("rating-error");
    await page.getByText("Choose a rating from 1 to 5.").waitFor();
    await page.getByLabel("4", { exact: true }).check();
    await page.getByRole("button", { name: "Send feedback" }).click();
    await page.getByText("Thank you for your feedback.").waitFor();
  });

  it("the open Qwidget: the start form, and a refusal shown at its field", async () => {
    const page = await (await context()).newPage();
    await page.goto("/demo/library.html");
    await launcher(page).click();
    await panel(page).getByLabel("Your question").waitFor();
    await page.getByText("More about you (optional)").click();
    await expectNoViolations(page, "open Qwidget, start form");
    expect(await smallTargets(page, true)).toEqual([]);

    // A refusal shows at its field and keeps what was typed.
    await panel(page).getByLabel("Your question").fill("Is the library open on Monday?");
    await panel(page).getByLabel(/Your e-mail/).fill("not-an-address");
    await panel(page).getByRole("button", { name: "Send", exact: true }).click();
    const email = panel(page).getByLabel(/Your e-mail/);
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.querySelector("refdesk-qwidget")!.shadowRoot!.activeElement?.id)).toBe("q-email");
    expect(await email.getAttribute("aria-describedby")).toBe("q-email-error q-email-help");
    expect(await panel(page).getByLabel("Your question").inputValue()).toBe("Is the library open on Monday?");
    await expectNoViolations(page, "open Qwidget, start form with an error");
  });

  it("the open Qwidget while chatting and after, and at 320 px wide and 400 % zoom", async () => {
    const monitor = await springfieldLibrarian(await context());
    // 400 % zoom of a 1280 × 1024 window leaves 320 × 256 CSS pixels.
    const page = await (await context({ viewport: { width: 320, height: 256 } })).newPage();
    await page.goto("/demo/library.html");
    await launcher(page).click();
    const question = unique("Zoomed in, can you help?");
    await panel(page).getByLabel("Your question").fill(question);
    // The panel fills the small screen and scrolls inside; the page never scrolls sideways.
    await page.waitForTimeout(300); // the opening animation
    const box = (await panel(page).boundingBox())!;
    expect([box.x, box.y, box.width, box.height].map(Math.round)).toEqual([0, 0, 320, 256]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await panel(page).getByRole("button", { name: "Send", exact: true }).click();
    await acceptAndSay(monitor, question, "Patron", "Of course. What do you need?");
    await panel(page).getByRole("log").getByText("What do you need?").waitFor();
    await expectNoViolations(page, "open Qwidget, chatting, zoomed");
    expect(await smallTargets(page, true)).toEqual([]);

    await page.setViewportSize({ width: 1280, height: 800 });
    await expectNoViolations(page, "open Qwidget, chatting");
    await endAsAnswered(monitor, "Patron");
    await panel(page).getByRole("heading", { name: "How did we do?" }).waitFor();
    await expectNoViolations(page, "open Qwidget, after the chat");
  });

  it("honours reduced motion", async () => {
    for (const [reducedMotion, animation] of [
      ["reduce", "none"],
      ["no-preference", "open"],
    ] as const) {
      const page = await (await context({ reducedMotion })).newPage();
      await page.goto("/demo/library.html");
      await launcher(page).click();
      await panel(page).getByLabel("Your question").waitFor();
      expect(await panel(page).evaluate((el) => getComputedStyle(el).animationName), reducedMotion).toBe(animation);
    }
  });
});

describe("a dropped connection", () => {
  it("shows reconnecting…, keeps what the patron sends meanwhile, and catches up with what was missed", async () => {
    const monitor = await springfieldLibrarian(await context());
    const page = await (await context()).newPage();
    // The network between this page and Refdesk: connected, or down (every attempt refused at once).
    let down = false;
    const connected: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/api\/chats\/[^/]+\/socket/, (ws) => {
      if (down) return void ws.close({ code: 4900, reason: "network down" });
      ws.connectToServer();
      connected.push(ws);
    });
    await page.goto("/f/springfield-chat");
    const question = unique("Is the wifi down at the library?");
    await page.getByLabel("Your question").fill(question);
    await page.getByLabel(/Your name/).fill("Nelson");
    await page.getByRole("button", { name: "Ask a librarian" }).click();
    await acceptAndSay(monitor, question, "Nelson", "Let me check for you.");
    const log = page.getByRole("log", { name: "Chat messages" });
    await log.getByText("Let me check for you.").waitFor();

    down = true;
    await Promise.all(connected.splice(0).map((ws) => ws.close()));
    const status = page.getByRole("status").filter({ hasText: "Connection lost. Reconnecting…" });
    await status.waitFor();
    expect(await status.getAttribute("class")).toContain("reconnecting");
    await page.getByLabel("Your message").fill("Are you still there?");
    await page.getByLabel("Your message").press("Enter");
    await page.locator(".msg-pending", { hasText: "Are you still there?" }).getByText("Sending…").waitFor();
    const librarianLog = monitor.getByRole("log", { name: "Chat with Nelson" });
    await monitor.getByLabel("Message to Nelson").fill("It is back up now.");
    await monitor.getByLabel("Message to Nelson").press("Enter");
    await librarianLog.getByText("It is back up now.").waitFor();

    down = false;
    await page.getByText("You are chatting with Marge.").waitFor({ timeout: 20_000 });
    await log.getByText("It is back up now.").waitFor();
    await log.getByText("Are you still there?").waitFor();
    await librarianLog.getByText("Are you still there?").waitFor();
    expect(await page.locator(".msg-pending").count()).toBe(0);
    expect(await log.getByText("Are you still there?").count()).toBe(1);
    expect(await librarianLog.getByText("Are you still there?").count()).toBe(1);
    expect(await log.locator(".msg").count()).toBe(5);
  });
});
