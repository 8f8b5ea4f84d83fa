/**
 * The admin pages in real Chromium: a library administrator builds a chat
 * request form in the form builder (with a mistake corrected on the way) and
 * the hosted form shows exactly that; axe-core finds nothing on any admin page,
 * errors shown included.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, signInTo, useBrowser } from "./browser";

const chromium = useBrowser();

async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe("the form builder", () => {
  it("builds a form whose hosted page shows what was built", async () => {
    const context = await chromium.context();
    const admin = await signInTo(context, "marge@springfield-library.example", "/admin/libraries/springfield/forms");
    await admin.getByRole("heading", { name: "Chat forms", level: 1 }).waitFor();
    await admin.getByRole("link", { name: "Chat with a Springfield librarian" }).waitFor();
    await expectNoAxeViolations(admin, "forms page");

    const title = `Homework help ${Date.now()}`;
    await admin.getByLabel("Title").fill(title);
    await admin.getByRole("button", { name: "Create form" }).click();
    await admin.waitForURL(/\/admin\/forms\/springfield-/);
    const formId = admin.url().split("/").pop()!;
    await admin.getByRole("heading", { name: `Edit chat form: ${title}` }).waitFor();
    await expectNoAxeViolations(admin, "form editor");

    // Wording, a new required choice field, a colour — the preview follows as it is typed.
    await admin.getByLabel(/^Introduction/).fill("Stuck on an assignment? A teen librarian can help.");
    await admin.getByRole("button", { name: "Add a field" }).click();
    await admin.getByLabel("Label of field 4").fill("Your school");
    await admin.getByLabel("Kind of field 4").selectOption({ label: "Choice from a list" });
    const choices = admin.getByLabel("Choices, one per line for field 4");
    await choices.click();
    await admin.keyboard.type("North High");
    await admin.keyboard.press("Enter");
    await admin.keyboard.type("South High");
    await admin.getByLabel("Required (Your school)").check();
    await admin.getByLabel("Chat with viewport (pages the librarian pushes open beside the chat)").check();
    const preview = admin.getByRole("region", { name: "Preview" });
    await preview.getByText("Stuck on an assignment? A teen librarian can help.").waitFor();
    await preview.getByText("Your school").waitFor();
    expect(await preview.locator("option").allTextContents()).toContain("South High");

    // A mistake: a colour too light for white text. The summary takes focus, the field is marked.
    await admin.getByLabel("Brand colour").fill("#fafafa");
    await admin.getByRole("button", { name: "Save form" }).click();
    const summary = admin.getByRole("alert").filter({ hasText: "There is a problem" });
    await summary.getByText(/Too light/).waitFor();
    expect(await admin.getByLabel("Brand colour").getAttribute("aria-invalid")).toBe("true");
    expect(await admin.evaluate(() => document.activeElement?.classList.contains("error-summary"))).toBe(true);
    await expectNoAxeViolations(admin, "form editor showing an error");

    await admin.getByLabel("Brand colour").fill("#7a1f1f");
    await admin.getByRole("button", { name: "Save form" }).click();
    await admin.getByText("Saved. The hosted form and the Qwidget show the changes now.").waitFor();
    const embed = await admin.getByLabel("Qwidget embed code (paste into any page)").inputValue();
    expect(embed).toMatch(new RegExp(`^<script src="http://[^"]+/qwidget.js" data-refdesk-form="${formId}" async></script>$`));
    const formUrl = await admin.getByLabel("Form URL (link to it from your site)").inputValue();
    expect(formUrl).toMatch(new RegExp(`/f/${formId}$`));

    // A patron opens the hosted form: it is the form just built.
    const patronContext = await chromium.context();
    const patron = await patronContext.newPage();
    await patron.goto(`/f/${formId}`);
    await patron.getByRole("heading", { name: title, level: 1 }).waitFor();
    await patron.getByText("Stuck on an assignment? A teen librarian can help.").waitFor();
    const school = patron.getByLabel("Your school");
    expect(await school.getAttribute("required")).not.toBeNull();
    expect(await school.locator("option").allTextContents()).toEqual(["Choose…", "North High", "South High"]);
    expect(await patron.locator(".brand-bar").getAttribute("style")).toContain("#7a1f1f");
    await expectNoAxeViolations(patron, "hosted form");
    // And the data the Qwidget reads says the same.
    const data = (await patron.evaluate(async (id) => (await fetch(`/api/forms/${id}`)).json(), formId)) as { form: { title: string; chatMethod: string; fields: { label: string }[] } };
    expect(data.form.title).toBe(title);
    expect(data.form.chatMethod).toBe("viewport");
    expect(data.form.fields.map((f) => f.label)).toContain("Your school");
    // The patron can ask through it.
    await patron.getByLabel("Your question").fill("Sources for a report on the Dust Bowl?");
    await school.selectOption("South High");
    await patron.getByRole("button", { name: "Ask a librarian" }).click();
    await patron.waitForURL(/\/chat\//);
    expect((await patronContext.cookies()).length).toBe(0);
    await context.close();
    await patronContext.close();
  });
});

describe("accessibility of the admin pages", () => {
  it("axe-core finds no violations on any of them", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/admin");
    await page.getByRole("heading", { name: "Libraries" }).waitFor();
    await expectNoAxeViolations(page, "overview");
    const pages: [string, string][] = [
      ["/admin/libraries/springfield/librarians", "Accounts"],
      ["/admin/libraries/springfield/settings", "Name and contact"],
      ["/admin/libraries/springfield/privacy", "Daily scrubs"],
      ["/admin/libraries/springfield/audit", "Audit log"],
      ["/admin/account", "Where you are signed in"],
    ];
    for (const [path, heading] of pages) {
      await page.goto(path);
      await page.getByRole("heading", { name: heading }).first().waitFor();
      await page.waitForLoadState("networkidle");
      await expectNoAxeViolations(page, path);
    }
    // Keyboard: on a fresh page the first Tab reaches the skip link, which moves focus to the content.
    await page.goto("/admin/libraries/springfield/librarians");
    await page.getByRole("cell", { name: "lisa@springfield-library.example" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("admin-main");
    // An invitation with a bad address: the error, shown, is accessible too.
    await page.getByLabel("Name").fill("Bart");
    await page.getByLabel("E-mail address").fill("lisa@springfield-library.example");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("alert").getByText(/already has a Refdesk account/).waitFor();
    await expectNoAxeViolations(page, "librarians page with an error");
    expect(await page.getByLabel("E-mail address").getAttribute("aria-invalid")).toBe("true");
    await context.close();

    const groupContext = await chromium.context();
    const group = await signInTo(groupContext, "edna@capital-u.example", "/admin/groups/statewide");
    await group.getByRole("heading", { name: "Member libraries" }).waitFor();
    await group.getByRole("rowheader", { name: "Springfield Public Library" }).waitFor();
    await group.waitForLoadState("networkidle");
    await expectNoAxeViolations(group, "cooperative page");
    await groupContext.close();
  });
});
