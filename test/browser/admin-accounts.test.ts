/**
 * An invitation, end to end in real Chromium against wrangler dev: a library
 * administrator invites a librarian in the admin UI, the mail leaves through
 * the real queue and send_email binding, the invitee follows its link, is
 * refused a common password, chooses a good one, and lands in the chat monitor.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, useBrowser, waitForMail } from "./browser";

const chromium = useBrowser();

async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe("inviting a librarian", () => {
  it("goes from the admin page to a signed-in new librarian", async () => {
    const adminContext = await chromium.context();
    const admin = await adminContext.newPage();
    await admin.goto("/login?next=/admin/libraries/springfield/librarians");
    await admin.getByLabel("E-mail").fill("marge@springfield-library.example");
    await admin.getByLabel("Password").fill(DEMO_PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.waitForURL("**/admin/libraries/springfield/librarians");

    const email = `bart-${Date.now()}@springfield-library.example`;
    await admin.getByLabel("Name").fill("Bart Simpson");
    await admin.getByLabel("E-mail address").fill(email);
    await admin.getByLabel("Role", { exact: true }).selectOption({ label: "Librarian" });
    await admin.getByRole("button", { name: "Send invitation" }).click();
    await admin.getByRole("status").getByText(`Invitation sent to ${email}.`).waitFor();
    const row = admin.getByRole("row").filter({ hasText: email });
    await row.getByText("Invited (no password yet)").waitFor();

    const mail = await waitForMail(email, "has invited you");
    expect(mail.subject).toBe("You are invited to Refdesk at Springfield Public Library");
    const link = /(https?:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1]!;

    const newContextForInvitee = await chromium.context();
    const invitee = await newContextForInvitee.newPage();
    await invitee.goto(link);
    await invitee.getByRole("heading", { name: "Welcome, Bart Simpson" }).waitFor();
    await expectNoAxeViolations(invitee, "set-password page");

    // Long enough for the browser's own check, but a common password with digits added: the server refuses it.
    await invitee.getByLabel("New password").fill("monkey123456!");
    await invitee.getByLabel("Type the password again").fill("monkey123456!");
    await invitee.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.getByText(/too easy to guess/).waitFor();
    expect(await invitee.getByLabel("New password").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(invitee, "set-password page with an error");

    const password = "donut power plant evergreen";
    await invitee.getByLabel("New password").fill(password);
    await invitee.getByLabel("Type the password again").fill(password);
    await invitee.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.waitForURL("**/monitor");
    await invitee.getByRole("heading", { name: "Chat monitor" }).waitFor();

    // The link is spent; the administrator sees an active account.
    const again = await invitee.goto(link);
    expect(again?.status()).toBe(410);
    await admin.reload();
    await admin.getByRole("row").filter({ hasText: email }).getByText("Active").waitFor();
    await adminContext.close();
    await newContextForInvitee.close();
  });
});
