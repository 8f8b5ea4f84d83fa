/**
 * The Ask a Librarian module in real Chromium against wrangler dev: a patron
 * leaves a question by e-mail; a librarian finds it in New, opens it, answers
 * the follow-up (partly by keyboard), changes its codes, and the mail the send_email binding wrote
 * is parsed; a library administrator renames a code. axe-core checks each page.
 */
import { describe, expect, it } from "vitest";
import { axeViolations, baseUrl, signInTo, useBrowser, waitForMail } from "./browser";

const chromium = useBrowser();

/** A patron asks on Springfield's form and, rather than wait, leaves the question by e-mail. */
async function questionLeftByEmail(question: string, email: string): Promise<void> {
  const started = await fetch(`${baseUrl()}/api/chats`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ formId: "springfield-chat", question, name: "Milhouse" }),
  });
  expect(started.status).toBe(201);
  const { sessionId, token } = (await started.json()) as { sessionId: string; token: string };
  const left = await fetch(`${baseUrl()}/api/chats/${sessionId}/leave-question`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ email, details: "It is for a school project about the 1950s." }),
  });
  expect(left.status, await left.clone().text()).toBe(200);
}

describe("the Ask a Librarian module, in the browser", () => {
  it("finds a new question, answers the follow-up and the patron's mail arrives", async () => {
    const question = `Was there a drive-in cinema in Springfield? ${Date.now()}`;
    const patronEmail = `milhouse-${Date.now()}@patron.example`;
    await questionLeftByEmail(question, patronEmail);

    const context = await chromium.context();
    const list = await signInTo(context, "lisa@springfield-library.example", "/questions");
    await list.getByRole("heading", { name: "Questions", level: 1 }).waitFor();
    const newTab = list.getByRole("navigation", { name: "Question lists" }).getByRole("link", { name: /^New \(\d+\)$/ });
    expect(await newTab.getAttribute("aria-current")).toBe("page");
    const row = list.getByRole("link", { name: question });
    await row.waitFor();
    expect(await axeViolations(list)).toEqual([]);

    // Search finds it by the patron's address; the count says so.
    await list.getByLabel("Patron e-mail").fill(patronEmail);
    await list.getByRole("button", { name: "Search" }).click();
    await list.getByText("1 question in New matching the search. Page 1 of 1.").waitFor();

    await list.getByRole("link", { name: question }).click();
    await list.waitForURL(/\/questions\/q-/);
    const page = list;
    await page.getByRole("heading", { name: "Question from Milhouse", level: 1 }).waitFor();
    await page.getByText("It is for a school project about the 1950s.").waitFor();
    expect(await page.locator(".summary .status").textContent()).toBe("New");
    expect(await axeViolations(page)).toEqual([]);

    // Take it: assign to myself.
    await page.getByLabel("Assign to").selectOption({ label: "Lisa" });
    await page.getByRole("button", { name: "Assign", exact: true }).click();
    await page.getByText(/Assigned the question: now Pending, owned by Lisa\./).waitFor();

    // An internal note, by keyboard alone.
    await page.getByLabel("New note (not sent to the patron)").focus();
    await page.keyboard.type("Checked the 1955 city directory.");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByText("Note added.").waitFor();
    await page.locator(".notes").getByText("Checked the 1955 city directory.").waitFor();

    // Codes, changed afterwards with the same picker as the end dialog: a resolution and a code found by typing.
    await page.getByRole("button", { name: "Change codes" }).click();
    await page.getByLabel("Followup By Me").check();
    await page.getByLabel("Search codes").fill("local hist");
    await page.getByLabel("Search codes").press("Enter");
    await page.getByRole("button", { name: "Remove Local history" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Save codes" }).click();
    await page.getByText("Codes saved.").waitFor();
    await page.getByRole("list", { name: "Descriptive codes" }).getByText("Local history").waitFor();
    await page.getByText("Resolution: Followup By Me").waitFor();

    // The follow-up answer.
    const answer = `Yes: the Springfield Drive-In opened in 1952. ${Date.now()}`;
    await page.getByLabel(`Answer to ${patronEmail}`).fill(answer);
    await page.getByRole("button", { name: "Send answer" }).click();
    await page.getByText(`Answer sent to ${patronEmail}.`, { exact: false }).waitFor();
    expect(await page.locator(".summary .status").textContent()).toBe("Answered");
    await page.getByRole("list").filter({ hasText: "sent a follow-up answer" }).waitFor();

    const mail = await waitForMail(patronEmail, answer);
    expect(mail.subject).toBe(`An answer from Springfield Public Library: ${question}`);
    expect(mail.from?.name).toBe("Springfield Public Library");
    expect(mail.replyTo?.[0]?.address).toBe("ask@springfield-library.example");
    expect(mail.text).toContain("— Lisa, Springfield Public Library");
    expect(mail.text).toContain("> [");
    expect(mail.text).toContain("It is for a school project about the 1950s.");
    expect(mail.text).not.toContain("Checked the 1955 city directory.");
    expect(mail.html).toContain(answer);

    // The page follows the mail until it is sent.
    await page.locator(".mail-sent").filter({ hasText: "Follow-up answer" }).waitFor({ timeout: 20_000 });
    expect(await axeViolations(page)).toEqual([]);

    // And the list now shows it under Answered.
    await page.goto("/questions?list=answered");
    await page.getByRole("link", { name: question }).waitFor();
    await context.close();
  });

  it("lets a library administrator rename and hide a descriptive code", async () => {
    const context = await chromium.context();
    const page = await signInTo(context, "marge@springfield-library.example", "/questions/codes");
    await page.getByRole("heading", { name: "Descriptive codes", level: 1 }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const label = page.getByLabel("Label of Tax forms");
    await label.fill("Tax forms and tax help");
    await page.getByRole("button", { name: "Rename Tax forms" }).click();
    await page.getByText("Renamed “Tax forms” to “Tax forms and tax help”.").waitFor();

    await page.getByRole("button", { name: "Hide Donations" }).click();
    await page.getByText("“Donations” is hidden.").waitFor();
    await page.getByRole("button", { name: "Offer Donations" }).waitFor();

    // Move by keyboard: the focus stays on the moved code's button.
    await page.getByRole("button", { name: "Move Tax forms and tax help up" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(/Moved “Tax forms and tax help” to position \d+/).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Move Tax forms and tax help up");
    expect(await axeViolations(page)).toEqual([]);

    // A librarian who is not an administrator is told so.
    const other = await chromium.context();
    const lisa = await signInTo(other, "lisa@springfield-library.example", "/questions");
    const res = await lisa.goto("/questions/codes");
    expect(res?.status()).toBe(403);
    await lisa.getByText("Only a library administrator can change the descriptive codes.").waitFor();
    await other.close();
    await context.close();
  });
});
