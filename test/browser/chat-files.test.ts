/**
 * Files in a chat, in real Chromium, keyboard only: the patron sends a
 * screenshot from the Qwidget with a description, the librarian sees it as a
 * thumbnail carrying that description; the librarian sends a PDF from the
 * monitor, the patron gets it as a link; a file that is no image or PDF is
 * refused in words; a slow upload shows its progress and can be cancelled.
 * axe finds nothing on either side with files in the chat.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, signInToMonitor, useBrowser } from "./browser";
import { FILES_LIBRARIAN } from "./fixtures";
import { focusedInWidget, launcher, panel } from "./patron-helpers";

const { context } = useBrowser();

/** A real 1×1 PNG, so the thumbnail decodes. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function expectNoViolations(page: Page, what: string, selector?: string): Promise<void> {
  const violations = await axeViolations(page, selector);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Presses Tab until the widget's focused element is `target` (its id or class). */
async function tabTo(page: Page, target: string, at = () => focusedInWidget(page)): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if ((await at()) === target) return;
    await page.keyboard.press("Tab");
  }
  expect(await at()).toBe(target);
}

/** Enter on the focused file input opens the file picker; the file is chosen there. */
async function chooseWithEnter(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Enter")]);
  await chooser.setFiles(file);
}

/** Whether an image element has decoded (a thumbnail that really shows). */
const decoded = (page: Page, alt: string) => page.getByRole("img", { name: alt }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

describe("files in a chat, keyboard only", () => {
  it("go both ways between the Qwidget and the monitor, refused ones are said, uploads can be cancelled, and axe finds nothing", async () => {
    const stamp = Date.now();
    const monitor = await signInToMonitor(await context(), FILES_LIBRARIAN.email);
    await monitor.getByText(/monitoring:/).first().waitFor();

    // The patron asks from the library's site through the Qwidget, keyboard only.
    const patronContext = await context();
    const page = await patronContext.newPage();
    // Playwright takes file pickers over only while someone listens for them, and starts to
    // asynchronously: listening from the start means no Enter below can open a native picker instead.
    for (const p of [page, monitor]) p.on("filechooser", () => {});
    await page.goto("/demo/files-test/");
    await launcher(page).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedInWidget(page)).toBe("q-question");
    await page.keyboard.type(`My catalogue search shows an error ${stamp}`);
    await tabTo(page, "primary");
    await page.keyboard.press("Enter");
    await panel(page).getByText("Finding a librarian for you.").waitFor();

    // Fay accepts (Alt+Shift+A: the patron who waited longest) and the chat opens in the monitor.
    await monitor.locator(".waiting-item", { hasText: String(stamp) }).waitFor();
    await monitor.keyboard.press("Alt+Shift+A");
    await panel(page).getByText("You are chatting with Fay.").waitFor();

    // Patron → librarian: a screenshot with a description.
    await tabTo(page, "patron-file-input");
    await chooseWithEnter(page, { name: "error-page.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(() => focusedInWidget(page)).toBe("patron-file-alt");
    await page.keyboard.type("The catalogue's error page");
    await page.keyboard.press("Enter");
    await panel(page).getByText("Sent error-page.png.").waitFor();
    await expect.poll(() => focusedInWidget(page)).toBe("patron-file-input");
    await expect.poll(() => decoded(monitor, "The catalogue's error page"), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => decoded(page, "The catalogue's error page"), { timeout: 10_000 }).toBe(true);
    await monitor.getByText("error-page.png (1 KB)").waitFor();

    // Librarian → patron: a PDF, as a link.
    await monitor.getByLabel("Attach a file").focus();
    await chooseWithEnter(monitor, { name: "opening-hours.pdf", mimeType: "application/pdf", buffer: PDF });
    await expect.poll(() => monitor.evaluate(() => document.activeElement?.textContent)).toBe("Send file");
    await monitor.keyboard.press("Enter");
    const pdfLink = panel(page).getByRole("link", { name: "opening-hours.pdf (PDF, 1 KB)" });
    await pdfLink.waitFor();
    const download = await page.request.get((await pdfLink.getAttribute("href"))!);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="opening-hours\.pdf"/);
    expect(download.headers()["x-content-type-options"]).toBe("nosniff");

    await expectNoViolations(page, "the Qwidget with files", "refdesk-qwidget");
    await expectNoViolations(monitor, "the monitor with files");

    // A page dressed as an image is refused, in words, and the patron can try again.
    await tabTo(page, "patron-file-input");
    await chooseWithEnter(page, { name: "screenshot.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") });
    await expect.poll(() => focusedInWidget(page)).toBe("patron-file-alt");
    await page.keyboard.press("Enter");
    await panel(page).getByRole("alert").getByText("This kind of file cannot be sent. Send a PNG, JPEG, WebP or GIF image, or a PDF (at most 10 MB).").waitFor();

    // A slow upload: a progress bar, and Cancel (where the cursor is) stops it.
    const cdp = await patronContext.newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    const big = Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]);
    await tabTo(page, "patron-file-input");
    await chooseWithEnter(page, { name: "big-scan.png", mimeType: "image/png", buffer: big });
    await expect.poll(() => focusedInWidget(page)).toBe("patron-file-alt");
    await page.keyboard.press("Tab"); // Send file
    await page.keyboard.press("Enter");
    const progress = panel(page).getByRole("progressbar", { name: "Sending big-scan.png" });
    await progress.waitFor();
    await expect.poll(() => panel(page).evaluate(() => document.querySelector("refdesk-qwidget")!.shadowRoot!.activeElement?.textContent)).toBe("Cancel upload");
    await expectNoViolations(page, "the Qwidget while uploading", "refdesk-qwidget");
    await page.keyboard.press("Enter");
    await panel(page).getByText("The file was not sent.").waitFor();
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(await monitor.getByText("big-scan.png").count()).toBe(0);
  });
});
