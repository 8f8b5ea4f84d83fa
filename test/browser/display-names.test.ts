/**
 * Names as people see them, in real Chromium: a patron who calls themselves
 * "Lisa (librarian)" — with a right-to-left override and a zero-width space
 * typed in — shows as that name, clean, with the patron marker beside it, in a
 * patron's line, in the monitor and in the patron window alike; a librarian's
 * name stored before names were cleaned shows clean in the monitor and, in the
 * patron window, cannot turn the words beside it around (`<bdi>`). A role
 * label as a name is refused at the name field. axe-core finds nothing.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, signInToMonitor, useBrowser } from "./browser";
import { DISPLAY_FORM, DISPLAY_LIBRARIAN } from "./fixtures";

const { context } = useBrowser();

/** Bidirectional controls and zero-width characters: none may reach the page from what people typed. */
const CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/;

async function expectNoViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Whether the element's text is laid out left to right: its first character left of its last. */
function readsLeftToRight(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const text = node.firstChild as Text;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 1);
    const first = range.getBoundingClientRect().left;
    range.setStart(text, text.length - 1);
    range.setEnd(text, text.length);
    return first < range.getBoundingClientRect().left;
  });
}

async function patronAsks(question: string, name: string): Promise<Page> {
  const page = await (await context()).newPage();
  await page.goto(`/f/${DISPLAY_FORM.id}`);
  await page.getByLabel("Your question").fill(question);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByRole("button", { name: "Ask a librarian" }).click();
  return page;
}

describe("names as people see them", () => {
  it("a patron named like a librarian shows as the patron in the monitor and the patron window; names are clean and isolated", async () => {
    const stamp = Date.now();
    const dana = await signInToMonitor(await context(), DISPLAY_LIBRARIAN.email, DEMO_PASSWORD);
    await dana.getByText(/monitoring:/).first().waitFor();

    const patron = await patronAsks(`Is this \u202Ereal\u202C? ${stamp}`, "\u202ELisa\u200B (librarian)");
    await patron.waitForURL(/\/chat\//);
    const asked = `Is this real? ${stamp}`;

    // The waiting list: the name stored clean, isolated from the library beside it.
    const row = dana.locator(".waiting-item", { hasText: asked });
    await row.waitFor();
    expect(await row.locator(".waiting-meta bdi").first().textContent()).toBe("Lisa (librarian)");
    expect(await row.textContent()).not.toMatch(CONTROLS);
    await row.getByRole("button", { name: /^Accept/ }).click();
    await dana.getByRole("tab", { name: "Lisa (librarian)" }).waitFor();
    await dana.getByRole("heading", { name: "Chat with Lisa (librarian)" }).waitFor();

    const reply = `Hello from the desk ${stamp}`;
    await dana.getByLabel("Message to Lisa (librarian)").fill(reply);
    await dana.getByLabel("Message to Lisa (librarian)").press("Enter");
    const log = dana.getByRole("log", { name: "Chat with Lisa (librarian)" });
    await log.getByText(reply).waitFor();

    // In the monitor the patron's line says "Patron" beside the name, whatever the name says.
    const patronLine = log.locator(".msg-patron", { hasText: asked });
    expect(await patronLine.locator(".msg-author").textContent()).toBe("Lisa (librarian)");
    expect(await patronLine.locator(".msg-role").textContent()).toBe("Patron");
    expect(await patronLine.locator(".msg-author").evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe("isolate");
    // The librarian's own line: the name stored with an override shows clean here.
    const deskLine = log.locator(".msg-librarian", { hasText: reply });
    expect(await deskLine.locator(".msg-author").textContent()).toBe("Dana");
    expect(await deskLine.locator(".msg-role").textContent()).toBe("Librarian");
    expect(await dana.locator(".monitor-layout").textContent()).not.toMatch(CONTROLS);
    await expectNoViolations(dana, "/monitor, chatting with a patron named like a librarian");

    // The patron window: their own line is a patron's line too.
    const patronLog = patron.getByRole("log", { name: "Chat messages" });
    await patronLog.getByText(reply).waitFor();
    const own = patronLog.locator(".msg-patron.msg-mine", { hasText: asked });
    expect(await own.locator(".msg-author").textContent()).toBe("Lisa (librarian)");
    expect(await own.locator(".msg-role").textContent()).toBe("Patron");
    const theirs = patronLog.locator(".msg-librarian", { hasText: reply });
    expect(await theirs.locator(".msg-role").textContent()).toBe("Librarian");
    // The patron window isolates rather than cleans (the Qwidget shares it and has a byte budget):
    // the override still in the stored name stays inside it and cannot turn the marker beside it around.
    expect(await theirs.locator(".msg-author").evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe("isolate");
    expect(await readsLeftToRight(theirs.locator(".msg-role"))).toBe(true);
    await patron.getByText(/^You are chatting with Dana/).waitFor();
    await expectNoViolations(patron, "chat page, chatting");
  });

  it("refuses a role label as the patron's name, at the name field", async () => {
    const page = await patronAsks(`Who answers here? ${Date.now()}`, "Librarian");
    await page.getByRole("heading", { name: "Your question was not sent" }).waitFor();
    expect(await page.locator(".error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual(["#f-name"]);
    const name = page.getByLabel(/Your name/);
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.evaluate((el) => document.getElementById(el.getAttribute("aria-describedby")!.split(" ")[0]!)?.textContent)).toBe(
      "Error: Enter your own name, not a role such as Librarian",
    );
    expect(await name.inputValue()).toBe("Librarian");
    await expectNoViolations(page, "form refusing a role label as a name");
  });
});
