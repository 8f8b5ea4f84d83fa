/**
 * Cooperative administration in real Chromium, by keyboard and mouse: a library
 * administrator edits the policy page in the rich-text editor (unsafe HTML is
 * refused and nothing is saved), sets the roll-over time; a group administrator
 * edits the coverage schedule (an overlapping shift is refused). Every page is
 * checked with axe-core.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, signInTo, useBrowser } from "./browser";

const chromium = useBrowser();

describe("a library administrator", () => {
  it("edits the policy page in the rich-text editor; unsafe HTML is refused and changes nothing", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/policies/springfield/edit");
    const notes = page.getByRole("textbox", { name: "Notes: what to tell our patrons" });
    await notes.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const line = `Book club meets on Tuesdays ${Date.now()}`;
    await notes.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+b");
    await page.keyboard.type(line);
    await page.getByRole("button", { name: "Save the policy page" }).click();
    await page.waitForURL("**/policies/springfield?saved=1");
    await page.getByRole("status").getByText("Saved.").waitFor();
    const notesSection = page.locator("#section-notes");
    await notesSection.locator("b, strong", { hasText: line }).waitFor();
    // The rest of the page (quick answers, links) is kept.
    await page.getByRole("button", { name: "Copy answer: Renewing items" }).waitFor();

    // Unsafe HTML, typed as source: refused with a clear message, nothing saved.
    await page.goto("/policies/springfield/edit");
    const toolbar = page.getByRole("toolbar", { name: "Formatting: Hours" });
    await toolbar.getByRole("button", { name: "Edit HTML" }).click();
    const source = page.locator("#sec-hours");
    await source.fill('<p>Open late</p><img src="x" onerror="alert(1)">');
    await page.getByRole("button", { name: "Save the policy page" }).click();
    const alert = page.getByRole("alert");
    await alert.getByText(/Hours: the <img> tag is not allowed.*Nothing was saved/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.goto("/policies/springfield");
    expect(await page.getByText("Open late").count()).toBe(0);
    await context.close();
  });

  it("sets the roll-over time, and is told clearly when it is out of range", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/admin/cooperation");
    expect(await axeViolations(page)).toEqual([]);
    const rollover = page.getByLabel("Roll-over time (seconds)");
    await rollover.fill("400");
    await page.getByRole("button", { name: "Save routing settings" }).click();
    await page.getByRole("alert").getByText(/shorter than the library's wait limit/).waitFor();
    expect(await page.getByLabel("Roll-over time (seconds)").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Roll-over time (seconds)").fill("45");
    await page.getByRole("button", { name: "Save routing settings" }).click();
    await page.getByRole("status").getByText("Routing settings saved.").waitFor();
    await context.close();
  });
});

describe("a group administrator", () => {
  it("edits the statewide coverage schedule; an overlapping shift is refused", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "edna@capital-u.example", "/admin/groups/statewide/cooperation");
    await page.getByRole("heading", { name: "Administer Statewide Ask a Librarian Cooperative" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const rows = await page.locator(".schedule-editor tbody tr").count();
    const blank = rows - 3;

    // Shelbyville already covers Monday 18:00–22:00 New York time; Springfield Monday 17:30–18:30 Chicago time overlaps it.
    await page.getByLabel(`Shift ${blank + 1}: library`).selectOption("springfield");
    await page.getByLabel(`Shift ${blank + 1}: day`).selectOption({ label: "Monday" });
    await page.getByLabel(`Shift ${blank + 1}: starts`).fill("17:30");
    await page.getByLabel(`Shift ${blank + 1}: ends`, { exact: true }).fill("18:30");
    await page.getByRole("button", { name: "Save the schedule" }).click();
    await page.getByRole("alert").getByText(/overlap/).waitFor();

    // A Sunday night shift past midnight fits.
    await page.getByLabel(`Shift ${blank + 1}: day`).selectOption({ label: "Sunday" });
    await page.getByLabel(`Shift ${blank + 1}: starts`).fill("22:00");
    await page.getByLabel(`Shift ${blank + 1}: ends`, { exact: true }).fill("02:00");
    await page.getByLabel(`Shift ${blank + 1}: ends the next day`).check();
    await page.getByRole("button", { name: "Save the schedule" }).click();
    await page.getByRole("status").getByText("Schedule saved.").waitFor();

    await page.goto("/groups/statewide");
    await page.getByRole("table").getByText("Sun 22:00–Mon 02:00").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
