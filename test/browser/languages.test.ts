/**
 * Patrons in their own language, in real Chromium: a Spanish-speaking
 * browser's chat from the Qwidget, end to end — only the Spanish catalog
 * loads, the window and the system lines are in Spanish while the librarian
 * reads English, and the transcript mail arrives in Spanish; and an Arabic
 * form and chat window laid out right to left, axe clean.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import es from "../../src/i18n/catalogs/es.json";
import ar from "../../src/i18n/catalogs/ar.json";
import { axeViolations, signInToMonitor, useBrowser, waitForMail } from "./browser";
import { ARABIC_LIBRARIAN, LANGUAGE_LIBRARIAN } from "./fixtures";
import { acceptAndSay, endAsAnswered, launcher, panel } from "./patron-helpers";

const { context } = useBrowser();

/** The catalog chunks the page has loaded, by language tag (`/qwidget/<tag>-<hash>.js`). */
function catalogsLoaded(page: Page): Promise<string[]> {
  return page.evaluate(() => [...new Set(performance.getEntriesByType("resource").flatMap((e) => /\/qwidget\/([a-z]+?)(?:chat)?-[0-9a-f]{10}\.js$/.exec(e.name)?.[1] ?? []))].filter((t) => t.length === 2).sort());
}

/** Where the text of the first element matching `selector` runs: its left and right edges. */
function textBox(page: Page, selector: string): Promise<{ left: number; right: number }> {
  return page.evaluate((sel) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(sel)!);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right };
  }, selector);
}

/** An element's box. */
async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} has no box`);
  return { left: b.x, right: b.x + b.width, width: b.width };
}

describe("patrons in their own language", () => {
  it("serves a Spanish-speaking browser's Qwidget chat in Spanish, the librarian in English, and mails the transcript in Spanish", async () => {
    const monitor = await signInToMonitor(await context(), LANGUAGE_LIBRARIAN.email);
    await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);

    const page = await (await context({ locale: "es-MX" })).newPage();
    await page.goto("/demo/languages-test/");
    await expect.poll(() => launcher(page).textContent()).toBe(es["launcher.online"] + es["launcher.onlineNote"]);
    await launcher(page).click();
    const widget = panel(page);
    await widget.getByRole("heading", { name: "Chat con Language Test Library" }).waitFor();
    expect(await widget.getAttribute("lang")).toBe("es");
    // Only the patron's language loaded.
    expect(await catalogsLoaded(page)).toEqual(["es"]);

    const question = `¿Tienen el censo de 1950? ${Date.now()}`;
    await widget.getByLabel(es["form.questionLabel"]).fill(question);
    await widget.getByText(es["form.moreAboutYou"]).click();
    await widget.getByLabel(es["form.nameLabel"], { exact: false }).fill("Ana");
    await widget.getByLabel(es["form.emailLabel"], { exact: false }).fill("ana@patron.example");
    await widget.getByRole("button", { name: es["form.send"] }).click();
    await widget.getByText(es["chat.waiting"]).waitFor();

    await acceptAndSay(monitor, question, "Ana", "Hola, Ana. Sí, lo tenemos.");
    const log = widget.getByRole("log", { name: es["chat.messages"] });
    // The system line in the patron's language; the same line in English for the librarian.
    await log.getByText("Luz se ha unido al chat.").waitFor();
    await widget.getByText("Está chateando con Luz.").waitFor();
    await monitor.getByText("Luz has joined the chat.").first().waitFor();
    await monitor.locator(".patron-panel").getByText("Español").waitFor();
    // Every language the form offers, switchable inside the window (named for what it does): English loads only now, and back.
    const switcher = widget.getByRole("combobox", { name: es["chat.language"] });
    expect(await switcher.inputValue()).toBe("es");
    await switcher.selectOption("en");
    await widget.getByText("You are chatting with Luz.").waitFor();
    await widget.getByRole("log", { name: "Chat messages" }).getByText("Luz has joined the chat.").waitFor();
    expect(await widget.getAttribute("lang")).toBe("en");
    expect(await catalogsLoaded(page)).toEqual(["en", "es"]);
    await widget.getByRole("combobox", { name: "Language" }).selectOption("es");
    await widget.getByText("Está chateando con Luz.").waitFor();

    await endAsAnswered(monitor, "Ana");
    const mail = await waitForMail("ana@patron.example", "Gracias por chatear con");
    expect(mail.subject).toMatch(/^Su chat con Language Test Library del /);
    expect(mail.text).toContain("Hola, Ana:");
    expect(mail.text).toContain("Luz se ha unido al chat.");
    expect(mail.text).toContain(`--- ${es["mail.transcript"]} ---`);
    expect(mail.html).toContain('<html lang="es">');
  });

  it("lays an Arabic form and chat window out right to left, axe clean", async () => {
    const monitor = await signInToMonitor(await context(), ARABIC_LIBRARIAN.email);
    await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);

    const page = await (await context({ locale: "ar" })).newPage();
    await page.goto("/f/arabic-test-chat");
    expect(await page.locator("html").getAttribute("lang")).toBe("ar");
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await page.getByRole("heading", { name: "اسأل مكتبة الاختبار" }).waitFor();
    // Right to left: each label starts at the right edge of its field, the form's own words in Arabic.
    const main = await box(page, "main");
    const label = await textBox(page, 'label[for="f-question"]');
    expect(Math.abs(main.right - label.right)).toBeLessThan(24);
    expect(label.left - main.left).toBeGreaterThan(main.width / 2);
    await page.getByLabel("صفتك").selectOption("Student");
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel(ar["form.questionLabel"]).fill("هل لديكم كتب عن تاريخ المدينة؟");
    await page.getByLabel(ar["form.nameLabel"], { exact: false }).fill("Omar");
    await page.getByRole("button", { name: ar["form.submit"] }).click();
    await page.waitForURL(/\/chat\//);
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await page.getByText(ar["chat.waiting"]).waitFor();

    await acceptAndSay(monitor, "هل لديكم كتب عن تاريخ المدينة؟", "Omar", "نعم، في قسم التاريخ المحلي.");
    await page.getByRole("log", { name: ar["chat.messages"] }).getByText("نعم، في قسم التاريخ المحلي.").waitFor();
    await page.getByLabel(ar["chat.message"]).fill("شكرًا جزيلًا");
    await page.getByLabel(ar["chat.message"]).press("Enter");
    await page.locator(".msg-mine .msg-body", { hasText: "شكرًا جزيلًا" }).waitFor();
    // The patron's own messages sit on the left, the librarian's on the right: the window mirrors.
    const log = await box(page, ".messages");
    const mine = await box(page, ".msg-mine:not(.msg-pending)");
    const theirs = await box(page, ".msg-librarian");
    expect(mine.left - log.left).toBeLessThan(log.right - mine.right);
    expect(log.right - theirs.right).toBeLessThan(theirs.left - log.left);
    await page.getByRole("combobox", { name: ar["chat.language"] }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
