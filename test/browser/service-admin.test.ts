/**
 * From an installation's first service administrator to a patron's chat, in
 * real Chromium against wrangler dev, by keyboard alone: `npm run setup`
 * (against the very local state the server runs on) prints a one-use link;
 * the service administrator chooses a password, creates a library and invites
 * its administrator; the invitation leaves through the real mail queue; the new
 * administrator signs up through the mailed link and builds a chat form; a
 * patron asks through it and chats with that administrator at the monitor.
 * Then the library is archived and its form says so. axe-core finds nothing on
 * any page on the way.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { axeViolations, baseUrl, useBrowser, waitForMail } from "./browser";

const chromium = useBrowser();
const root = path.resolve(import.meta.dirname, "..", "..");

async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Activates a button or link as a keyboard user does: focus it, press Enter. */
async function press(target: Locator) {
  await target.focus();
  await target.page().keyboard.press("Enter");
}

/** Types into a field as a keyboard user does. */
async function type(field: Locator, text: string) {
  await field.focus();
  await field.page().keyboard.press("ControlOrMeta+A");
  await field.page().keyboard.type(text);
}

/** Adds the Qwidget's one-line embed for `formId` to the page (as a library's page carries it); resolves with the status it asked for. */
async function embedQwidget(page: Page, formId: string): Promise<{ hidden?: boolean; available: boolean }> {
  const status = page.waitForResponse((r) => r.url().includes(`/api/embed/status?form=${formId}`));
  await page.evaluate((id) => {
    const script = document.createElement("script");
    script.src = "/qwidget.js";
    script.dataset.refdeskForm = id;
    document.body.append(script);
  }, formId);
  return (await (await status).json()) as { hidden?: boolean; available: boolean };
}

/** Chooses a password on the set-password page; an administrator then lands on the administration pages. */
async function choosePassword(page: Page, password: string) {
  await type(page.getByLabel("New password"), password);
  await type(page.getByLabel("Type the password again"), password);
  await press(page.getByRole("button", { name: "Set password and sign in" }));
  await page.waitForURL("**/admin");
}

describe("a new installation, run for real", () => {
  it("goes from npm run setup to a patron chatting with a new library, all by keyboard", async () => {
    const stamp = Date.now();
    const serviceEmail = `ops-${stamp}@refdesk.example`;
    // The browser tests' server keeps its state beside its log.
    const setup = spawnSync(process.execPath, [path.join(root, "scripts", "setup.mjs"), "--email", serviceEmail, "--name", "Olive Ops", "--persist-to", path.dirname(inject("wranglerLog")), "--origin", baseUrl()], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    });
    expect(setup.status, `${setup.stdout}\n${setup.stderr}`).toBe(0);
    const setupLink = /(http\S+\/account\/set-password\/[A-Za-z0-9_-]+)/.exec(setup.stdout)![1]!;

    // The service administrator chooses a password.
    const opsContext = await chromium.context();
    const ops = await opsContext.newPage();
    await ops.goto(setupLink);
    await ops.getByRole("heading", { name: "Welcome, Olive Ops" }).waitFor();
    await choosePassword(ops, "harbour lantern quietly sixteen");

    // … and creates a library.
    await ops.goto("/admin/service/libraries");
    await ops.getByRole("heading", { name: "Libraries of the service", level: 1 }).waitFor();
    await expectNoAxeViolations(ops, "service libraries page");
    const libraryName = `Riverside Library ${stamp}`;
    await type(ops.getByLabel("Library name"), libraryName);
    const libraryId = await ops.getByLabel("Library id").inputValue();
    expect(libraryId).toBe(`riverside-library-${stamp}`);
    await type(ops.getByLabel("Time zone"), "America/Chicago");
    await type(ops.getByLabel("Contact e-mail (optional)"), "ask@riverside.example");
    await type(ops.getByLabel("“Not available” message (optional)"), "Nobody is online; mail us and we will answer tomorrow.");
    await press(ops.getByRole("button", { name: "Create library" }));
    await ops.getByRole("status").getByText(`${libraryName} is created.`).waitFor();
    await ops.getByRole("row").filter({ hasText: libraryName }).getByText("Takes chats").waitFor();

    // A mistake first: the summary takes focus and names the field.
    await ops.getByLabel("Library", { exact: true }).selectOption({ label: libraryName });
    await type(ops.getByLabel("Administrator's name"), "Rita Reyes");
    await type(ops.getByLabel("Administrator's e-mail address"), "not-an-address");
    await press(ops.getByRole("button", { name: "Invite administrator" }));
    await ops.getByRole("alert").getByText("Enter a valid e-mail address").waitFor();
    await expectNoAxeViolations(ops, "service libraries page with an error");
    const adminEmail = `rita-${stamp}@riverside.example`;
    await type(ops.getByLabel("Administrator's e-mail address"), adminEmail);
    await press(ops.getByRole("button", { name: "Invite administrator" }));
    await ops.getByRole("status").getByText(`Invitation sent to ${adminEmail}`).waitFor();

    for (const [pagePath, heading] of [
      ["/admin/service/groups", "Groups of the service"],
      ["/admin/service/health", "Service health"],
    ] as const) {
      await ops.goto(pagePath);
      await ops.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await ops.getByRole("heading", { name: heading === "Service health" ? "Checks" : "Groups", exact: true }).waitFor();
      await expectNoAxeViolations(ops, pagePath);
    }

    // The library's administrator signs up through the mailed link …
    const mail = await waitForMail(adminEmail, "has invited you");
    const inviteLink = /(https?:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1]!;
    const ritaContext = await chromium.context();
    const rita = await ritaContext.newPage();
    await rita.goto(inviteLink);
    await rita.getByRole("heading", { name: "Welcome, Rita Reyes" }).waitFor();
    await expectNoAxeViolations(rita, "set-password page");
    await choosePassword(rita, "willow compass evening harbor");

    // … and builds a form.
    const admin = await ritaContext.newPage();
    await admin.goto(`/admin/libraries/${libraryId}/forms`);
    await admin.getByRole("heading", { name: "Chat forms", level: 1 }).waitFor();
    // The queue list arrives after the page: the library's own queue is chosen by then.
    await expect.poll(() => admin.getByLabel("Queue the form feeds").inputValue(), { timeout: 15_000 }).toBe(`lib:${libraryId}`);
    await type(admin.getByLabel("Title"), "Ask Riverside");
    await press(admin.getByRole("button", { name: "Create form" }));
    await admin.waitForURL(/\/admin\/forms\//);
    const formId = admin.url().split("/").pop()!;
    await type(admin.getByLabel(/^Introduction/), "A Riverside librarian answers.");
    await press(admin.getByRole("button", { name: "Save form" }));
    await admin.getByText("Saved. The hosted form and the Qwidget show the changes now.").waitFor();
    await expectNoAxeViolations(admin, "form editor");

    // Rita opens the monitor: it monitors her library's queue.
    await rita.goto("/monitor");
    await rita.getByRole("heading", { name: "Chat monitor" }).waitFor();
    await expect.poll(() => rita.getByText(/\d+ monitoring/).count(), { timeout: 20_000 }).toBeGreaterThan(0);

    // A patron asks through the form.
    const patronContext = await chromium.context();
    const patron = await patronContext.newPage();
    await patron.goto(`/f/${formId}`);
    await patron.getByRole("heading", { name: "Ask Riverside", level: 1 }).waitFor();
    await expectNoAxeViolations(patron, "hosted form");
    const question = `Do you have river maps from 1900? (${stamp})`;
    await type(patron.getByLabel("Your question"), question);
    await press(patron.getByRole("button", { name: "Ask a librarian" }));
    await patron.waitForURL(/\/chat\//);

    // Rita accepts and they chat.
    const waiting = rita.locator(".waiting-item", { hasText: question });
    await press(waiting.getByRole("button", { name: /^Accept/ }));
    // A patron who gives no name is "Patron".
    const composer = rita.getByLabel("Message to Patron", { exact: true });
    await composer.waitFor();
    // The composer opens once the chat's socket has said hello.
    await expect.poll(() => composer.isEnabled(), { timeout: 15_000 }).toBe(true);
    await composer.focus();
    await rita.keyboard.type("Yes: the 1903 survey is in our map room.");
    await rita.keyboard.press("Enter");
    await patron.getByText("Yes: the 1903 survey is in our map room.").waitFor();
    const patronBox = patron.getByLabel("Your message");
    await patronBox.focus();
    await patron.keyboard.type("Wonderful, thank you!");
    await patron.keyboard.press("Enter");
    await rita.getByText("Wonderful, thank you!").waitFor();
    await expectNoAxeViolations(patron, "patron chat window");

    // The library's Qwidget shows on its pages.
    const site = await patronContext.newPage();
    await site.goto(`/f/${formId}`);
    expect(await embedQwidget(site, formId)).toMatchObject({ available: true });
    await site.locator("refdesk-qwidget .launcher").waitFor();

    // The service administrator archives the library: its form says so, its Qwidget hides.
    await ops.goto("/admin/service/libraries");
    ops.once("dialog", (dialog) => void dialog.accept());
    await press(ops.getByRole("row").filter({ hasText: libraryName }).getByRole("button", { name: `Archive ${libraryName}` }));
    await ops.getByRole("status").getByText(`${libraryName} is archived: it takes no new chats.`).waitFor();
    const closed = await patronContext.newPage();
    const answer = await closed.goto(`/f/${formId}`);
    expect(answer?.status()).toBe(410);
    await closed.getByText(`${libraryName} no longer takes chat requests here.`).waitFor();
    await closed.getByText("Nobody is online; mail us and we will answer tomorrow.").waitFor();
    expect(await embedQwidget(closed, formId)).toMatchObject({ hidden: true, available: false });
    await closed.waitForTimeout(500);
    expect(await closed.locator("refdesk-qwidget").count()).toBe(0);
  });
});
