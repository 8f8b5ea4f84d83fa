/**
 * The Qwidget on the demo library page, in real Chromium: the one-line embed,
 * keyboard only; a patron asks, a librarian answers from the monitor; a reload
 * mid-chat brings everything back; a second tab shares the one socket and
 * takes it over when the first closes; after the chat the patron rates it.
 * Also: scripts typed by a patron stay text; only allowed sites may embed it;
 * the host page's CSS cannot change it and it changes nothing of the page.
 */
import type { WebSocket } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHAT_RECORD_KEY } from "../../src/client/qwidget/chat-record";
import { LOADER_CACHE, VERSIONED_CACHE } from "../../src/http/script-cache";
import { axeViolations, baseUrl, useBrowser } from "./browser";
import { acceptAndSay, chatRecord, endAsAnswered, focusedInWidget, launcher, panel, springfieldLibrarian, trackChatSockets, untilSpringfieldUnstaffed } from "./patron-helpers";

const { context } = useBrowser();

describe("the Qwidget on the demo library page", () => {
  it("takes a question, keyboard only, and keeps the chat across reloads and tabs with one socket", async () => {
    const librarianContext = await context();
    const monitor = await springfieldLibrarian(librarianContext);

    const patronContext = await context();
    const page = await patronContext.newPage();
    const sockets = new Set<WebSocket>();
    trackChatSockets(page, sockets);
    await page.goto("/demo/library.html");
    await expect.poll(() => launcher(page).textContent()).toBe("Chat with a librarianOnline now");
    await expect.poll(() => launcher(page).getAttribute("aria-expanded")).toBe("false");
    // Nothing but the loader until the patron shows interest.
    expect(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/qwidget/app.js")))).toBe(false);

    // Keyboard: Tab from the page's last link reaches the launcher; Enter opens the panel with the cursor in the question.
    await page.getByRole("link", { name: "Open the chat request form" }).focus();
    await page.keyboard.press("Tab");
    await expect.poll(() => focusedInWidget(page)).toBe("launcher");
    await page.keyboard.press("Enter");
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => focusedInWidget(page)).toBe("q-question");

    // Escape closes it and gives focus back to the launcher; Enter opens it again.
    await page.keyboard.press("Escape");
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    await expect.poll(() => focusedInWidget(page)).toBe("launcher");
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedInWidget(page)).toBe("q-question");

    const question = `Where is the 1950 Springfield city directory? ${Date.now()}`;
    await page.keyboard.type(question);
    await page.keyboard.press("Tab"); // "More about you (optional)"
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab"); // Your name
    await page.keyboard.type("Lisa S.");
    await page.keyboard.press("Tab"); // Your e-mail
    await page.keyboard.type("lisa.s@patron.example");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab"); // patron type, card, no-transcript, Send
    await expect.poll(() => focusedInWidget(page)).toBe("primary");
    await page.keyboard.press("Enter");

    // The chat starts in place, the cursor in the message box.
    await panel(page).getByText("Finding a librarian for you.").waitFor();
    await expect.poll(() => focusedInWidget(page)).toBe("patron-message");
    await page.keyboard.type("It is for my grandmother's house history.");
    await page.keyboard.press("Enter");
    const sessionId = (await chatRecord(page))!.sessionId;
    await expect.poll(() => sockets.size).toBe(1);

    await acceptAndSay(monitor, question, "Lisa S.", "Yes! See https://www.springfieldhistory.example/directories for the scans.");
    const log = panel(page).getByRole("log", { name: "Chat messages" });
    await panel(page).getByText("You are chatting with Marge.").waitFor();
    const link = log.getByRole("link", { name: "https://www.springfieldhistory.example/directories" });
    await link.waitFor();
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    // The librarian typing shows; stopping clears it.
    await monitor.getByLabel("Message to Lisa S.").fill("Let me look that up");
    await panel(page).getByText("Marge is typing…").waitFor();
    await monitor.getByLabel("Message to Lisa S.").fill("");
    await panel(page).getByText("Marge is typing…").waitFor({ state: "detached" });

    // A reload mid-chat: the panel is back as it was, with the whole conversation.
    sockets.clear();
    await page.reload();
    await log.getByText("for the scans").waitFor();
    for (const text of [question, "It is for my grandmother's house history.", "Marge has joined the chat."]) await log.getByText(text).waitFor();
    expect(await log.locator(".msg").count()).toBe(4);
    await expect.poll(() => sockets.size).toBe(1);

    // A second tab of the site shows the same chat over the first tab's socket.
    const second = await patronContext.newPage();
    const secondSockets = new Set<WebSocket>();
    trackChatSockets(second, secondSockets);
    await second.goto("/demo/library.html");
    const secondLog = panel(second).getByRole("log", { name: "Chat messages" });
    await secondLog.getByText("for the scans").waitFor();
    await panel(second).getByLabel("Your message").fill("Sent from my other tab.");
    await panel(second).getByLabel("Your message").press("Enter");
    await monitor.getByRole("log", { name: "Chat with Lisa S." }).getByText("Sent from my other tab.").waitFor();
    await log.getByText("Sent from my other tab.").waitFor();
    expect(secondSockets.size).toBe(0);
    expect(sockets.size).toBe(1);

    // The first tab closes: the second takes over the chat with its own socket, and nothing is lost.
    await page.close();
    await expect.poll(() => secondSockets.size).toBe(1);
    await panel(second).getByLabel("Your message").fill("Still here after closing a tab.");
    await panel(second).getByLabel("Your message").press("Enter");
    await monitor.getByRole("log", { name: "Chat with Lisa S." }).getByText("Still here after closing a tab.").waitFor();
    expect(await secondLog.locator(".msg").count()).toBe(6);

    // The librarian ends the chat; the patron rates it; the library sees the rating.
    await endAsAnswered(monitor, "Lisa S.");
    await panel(second).getByText("Thank you for asking Springfield Public Library.").waitFor();
    await panel(second).getByLabel("5", { exact: true }).check();
    await panel(second).getByLabel(/Comment/).fill("Quick and friendly!");
    await panel(second).getByRole("button", { name: "Send feedback" }).click();
    await panel(second).getByText("Thank you for your feedback.").waitFor();
    const seen = await monitor.request.get(`/api/chats/${sessionId}`);
    expect(((await seen.json()) as { rating: unknown }).rating).toEqual({ score: 5, comment: "Quick and friendly!" });

    // Closing the finished chat forgets it: the next question starts afresh.
    await panel(second).getByRole("button", { name: "Close this chat" }).click();
    await panel(second).getByLabel("Your question").waitFor();
    expect(await chatRecord(second)).toBeNull();
  });

  it("shows what a patron types, scripts included, as text — in the widget and at the monitor — and runs none of it", async () => {
    const librarianContext = await context();
    const monitor = await springfieldLibrarian(librarianContext, "lisa@springfield-library.example");
    const patronContext = await context();
    const page = await patronContext.newPage();
    await page.goto("/demo/library.html");
    const name = `<img src=x onerror="window.__pwned='name'">`;
    const question = `<script>window.__pwned='question'</script> ${Date.now()}`;
    await launcher(page).click();
    await panel(page).getByLabel("Your question").fill(question);
    await panel(page).getByText("More about you (optional)").click();
    await panel(page).getByLabel(/Your name/).fill(name);
    await panel(page).getByRole("button", { name: "Send", exact: true }).click();
    const log = panel(page).getByRole("log", { name: "Chat messages" });
    await log.getByText(question).waitFor();
    await log.getByText(name).first().waitFor();

    const row = monitor.locator(".waiting-item", { hasText: question });
    await row.getByText(name).waitFor();
    await row.getByRole("button", { name: /^Accept/ }).click();
    const librarianLog = monitor.getByRole("log", { name: `Chat with ${name}` });
    await librarianLog.getByText(question).waitFor();
    await monitor.getByLabel(`Message to ${name}`).fill(`<b onmouseover="window.__pwned='librarian'">bold?</b>`);
    await monitor.getByLabel(`Message to ${name}`).press("Enter");
    await log.getByText(`<b onmouseover="window.__pwned='librarian'">bold?</b>`).waitFor();

    for (const p of [page, monitor]) {
      expect(await p.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      expect(await p.locator("refdesk-qwidget img, .messages img, .messages script, .messages b, refdesk-qwidget b").count()).toBe(0);
    }
    await endAsAnswered(monitor, name);
  });
});

describe("a chat the service will not resume", () => {
  it("says so, and lets the patron close it and ask afresh", async () => {
    // A real chat, but a secret that is not its own (as after a copied or tampered storage).
    const started = await fetch(`${baseUrl()}/api/chats`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "cf-connecting-ip": "203.0.113.77" },
      body: JSON.stringify({ formId: "springfield-chat", question: "Is this still mine?" }),
    });
    const { sessionId } = (await started.json()) as { sessionId: string };
    const site = await context();
    await site.addInitScript(
      ([key, record]) => {
        if (sessionStorage.getItem("seeded")) return;
        localStorage.setItem(key!, record!);
        sessionStorage.setItem("seeded", "1");
      },
      [CHAT_RECORD_KEY, JSON.stringify({ sessionId, token: "not-the-token", open: true })],
    );
    const page = await site.newPage();
    await page.goto("/demo/library.html");
    await panel(page).getByText("This chat link is not valid.").waitFor();
    await panel(page).getByRole("button", { name: "Close this chat" }).click();
    await panel(page).getByLabel("Your question").waitFor();
    expect(await chatRecord(page)).toBeNull();
  });
});

describe("embedding", () => {
  /** A library site at another origin (served by Playwright), embedding the real service with the one line. */
  async function librarySite(origin: string, form = "springfield-chat") {
    const site = await context();
    // The library's site is "public"; Refdesk runs on loopback here, which Chromium lets a public page reach only with permission.
    await site.grantPermissions(["local-network-access"], { origin });
    await site.route(`${origin}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><title>Library site</title></head><body><main><h1>Our library</h1><p>Welcome.</p></main>
<script src="${baseUrl()}/qwidget.js" data-refdesk-form="${form}" async></script></body></html>`,
      }),
    );
    const page = await site.newPage();
    const warnings: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    await page.goto(`${origin}/`);
    return { page, warnings };
  }

  it("works from a site the library allows: status, widget and chat all cross origins", async () => {
    // Shelbyville's form: nobody monitors it in these tests, so the patron meets the library's fallback.
    const { page } = await librarySite("http://localhost:8788", "shelbyville-chat");
    await expect.poll(() => launcher(page).textContent()).toBe("Ask a librarianChat offline");
    await launcher(page).click();
    await panel(page).getByText("You can still send your question", { exact: false }).waitFor();
    await panel(page).getByLabel("Your question").fill("Do you renew by phone?");
    await panel(page).getByRole("button", { name: "Send", exact: true }).click();
    await panel(page).getByText("No librarian is available to chat right now.").waitFor();
    await panel(page).getByRole("link", { name: "Ask us by e-mail" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await panel(page).getByLabel("Your e-mail").fill("renewals@patron.example");
    await panel(page).getByRole("button", { name: "Send my question" }).click();
    await panel(page).getByText("Thank you. Your question has been sent to the library").waitFor();
  });

  it("serves the loader and the widget to any site, cached sensibly", async () => {
    const loader = await fetch(`${baseUrl()}/qwidget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(loader.headers.get("access-control-allow-origin")).toBe("*");
    // A classic <script> from another site is a no-cors load: our pages' same-origin resource policy would block it.
    expect(loader.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(loader.headers.get("cache-control")).toBe(LOADER_CACHE);
    const etag = loader.headers.get("etag");
    expect(etag).toBeTruthy();
    expect((await fetch(`${baseUrl()}/qwidget.js`, { headers: { "If-None-Match": etag! } })).status).toBe(304);

    const appPath = /\/qwidget\/app\.js\?v=[0-9a-f]{12}/.exec(await loader.text())?.[0];
    expect(appPath, "the loader names the widget by its content hash").toBeDefined();
    const app = await fetch(`${baseUrl()}${appPath}`);
    expect(app.status).toBe(200);
    expect(app.headers.get("access-control-allow-origin")).toBe("*");
    expect(app.headers.get("cache-control")).toBe(VERSIONED_CACHE);
    expect(await app.text()).toContain("mount");
  });

  it("stays off a site the library has not allowed, and says why in the console", async () => {
    const { page, warnings } = await librarySite("http://localhost:8799");
    await expect.poll(() => warnings.join("\n")).toContain("This library has not allowed http://localhost:8799 to embed its chat.");
    expect(await page.locator("refdesk-qwidget").count()).toBe(0);
  });
});

describe("isolation from the host page", () => {
  /** Computed styles of the widget's parts, and their sizes. */
  async function looks(page: import("playwright-core").Page, selectors: string[]) {
    return page.evaluate((sels) => {
      const root = document.querySelector("refdesk-qwidget")!.shadowRoot!;
      const props = ["font-family", "font-size", "font-weight", "font-style", "line-height", "color", "background-color", "letter-spacing", "word-spacing", "text-transform", "text-align", "text-shadow", "padding-top", "padding-left", "margin-top", "border-top-width", "border-top-style", "border-radius", "box-sizing", "display", "direction", "box-shadow"];
      return sels.map((sel) => {
        const el = root.querySelector(sel)!;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return { sel, size: [Math.round(box.width), Math.round(box.height)], ...Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)])) };
      });
    }, selectors);
  }

  it("looks exactly the same under a stylesheet written to break it", async () => {
    await untilSpringfieldUnstaffed();
    const page = await (await context()).newPage();
    const parts = [".launcher", ".launcher .sub", "#rd-panel", ".head", "#rd-title", ".hide", ".note", "label[for=q-question]", "#q-question", "summary", "button.primary"];
    const seen: { styles: unknown; launcher: Buffer; panel: Buffer }[] = [];
    for (const demo of ["library", "hostile"]) {
      await page.goto(`/demo/${demo}.html`);
      await launcher(page).waitFor();
      const closedLauncher = (await launcher(page).boundingBox())!;
      const launcherShot = await page.screenshot({ clip: { x: closedLauncher.x + 28, y: closedLauncher.y + 6, width: closedLauncher.width - 56, height: closedLauncher.height - 12 } });
      await launcher(page).click();
      await panel(page).getByLabel("Your question").waitFor();
      await page.waitForTimeout(300); // the opening animation
      const box = (await panel(page).boundingBox())!;
      const panelShot = await page.screenshot({ clip: { x: box.x + 14, y: box.y + 14, width: box.width - 28, height: box.height - 28 }, caret: "hide" });
      seen.push({ styles: await looks(page, parts), launcher: launcherShot, panel: panelShot });
    }
    const [plain, hostile] = seen as [(typeof seen)[0], (typeof seen)[0]];
    expect(hostile.styles).toEqual(plain.styles);
    expect(hostile.launcher.equals(plain.launcher), "the launcher looks different").toBe(true);
    expect(hostile.panel.equals(plain.panel), "the panel looks different").toBe(true);
    // And the hostile page really is hostile: its own text is restyled.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("h1")!).textTransform)).toBe("uppercase");
  });

  it("adds one element and no globals, styles or focus changes to the page until the patron acts", async () => {
    const site = await context();
    await site.addInitScript(() => {
      (window as unknown as { __globalsBefore: string[] }).__globalsBefore = Object.getOwnPropertyNames(window);
    });
    const page = await site.newPage();
    await page.goto("/demo/library.html");
    await launcher(page).waitFor();
    const before = await page.evaluate(() => ({
      styles: document.querySelectorAll("style, link[rel=stylesheet]").length,
      h1: getComputedStyle(document.querySelector("h1")!).cssText || getComputedStyle(document.querySelector("h1")!).font,
    }));
    await launcher(page).click();
    await panel(page).getByLabel("Your question").waitFor();
    const after = await page.evaluate(() => ({
      newGlobals: Object.getOwnPropertyNames(window).filter((g) => !(window as unknown as { __globalsBefore: string[] }).__globalsBefore.includes(g) && g !== "__globalsBefore"),
      styles: document.querySelectorAll("style, link[rel=stylesheet]").length,
      h1: getComputedStyle(document.querySelector("h1")!).cssText || getComputedStyle(document.querySelector("h1")!).font,
      added: [...document.body.children].filter((e) => e.tagName.includes("-")).map((e) => e.tagName),
    }));
    expect(after.newGlobals).toEqual([]);
    expect(after.styles).toBe(before.styles);
    expect(after.h1).toBe(before.h1);
    expect(after.added).toEqual(["REFDESK-QWIDGET"]);
  });
});
