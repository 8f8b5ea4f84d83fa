/**
 * The librarian's day in real Chromium, by keyboard, with axe-core at each
 * step: scripts kept in administration and put into a chat with "/"; whether
 * chats end with codes, set and followed; a form's survey written, answered by
 * the patron, seen on the question and in the administrators' list, and the
 * mail's one-use rating link; earlier chats by the Qwidget's browser id,
 * linked to their transcripts; one header across the staff pages, and a page
 * for a page that is not there.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { axeViolations, signInTo, signInToMonitor, useBrowser, waitForMail } from "./browser";
import { DAY_ADMIN, DAY_FORM, DAY_LIBRARIAN, DAY_LIBRARY } from "./fixtures";
import { launcher, panel } from "./patron-helpers";

const { context } = useBrowser();

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** A patron asks on the hosted form, by keyboard. */
async function patronAsks(question: string, name: string, email?: string): Promise<Page> {
  const page = await (await context()).newPage();
  await page.goto(`/f/${DAY_FORM.id}`);
  await page.getByLabel("Your question").focus();
  await page.keyboard.type(question);
  await page.getByLabel(/Your name/).focus();
  await page.keyboard.type(name);
  if (email) {
    await page.getByLabel(/Your e-mail/).focus();
    await page.keyboard.type(email);
  }
  await page.getByRole("button", { name: "Ask a librarian" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/chat\//);
  return page;
}

/** Dan accepts the waiting patron with `question` by keyboard (Alt+Shift+A takes the oldest: the day library has one at a time). */
async function danAccepts(dan: Page, question: string, name: string): Promise<void> {
  await dan.locator(".waiting-item", { hasText: question }).waitFor();
  await dan.keyboard.press("Alt+Shift+A");
  await dan.getByRole("tab", { name }).waitFor();
}

/** Ends the chat with `name` as answered, by keyboard, with a descriptive code typed into the search. */
async function endByKeyboard(dan: Page, name: string, code?: string): Promise<void> {
  await dan.keyboard.press("Alt+Shift+E");
  const end = dan.getByRole("dialog", { name: `End chat with ${name}` });
  await end.waitFor();
  await end.getByLabel("Answered").focus();
  await dan.keyboard.press("Space");
  if (code) {
    await end.getByLabel("Search codes").focus();
    await dan.keyboard.type(code);
    await dan.keyboard.press("Enter");
  }
  await end.getByRole("button", { name: "End chat and save" }).focus();
  await dan.keyboard.press("Enter");
  await dan.getByText(`Chat ended and saved. (${name})`).waitFor();
}

describe("scripts", () => {
  it("are kept in administration and put into a chat by typing / in the message box, placeholders filled in", async () => {
    const stamp = Date.now();
    const ada = await signInTo(await context(), DAY_ADMIN.email, `/admin/libraries/${DAY_LIBRARY.id}/scripts`, DEMO_PASSWORD);
    await ada.getByRole("heading", { name: "The library's scripts" }).waitFor();
    await expectNoViolations(ada, "the library's scripts, empty");
    await ada.getByRole("button", { name: "New script" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByLabel(/Category/).focus();
    await ada.keyboard.type("Greetings");
    await ada.getByLabel("Title", { exact: true }).focus();
    await ada.keyboard.type(`Greeting ${stamp}`);
    await ada.getByLabel("Text", { exact: true }).focus();
    await ada.keyboard.type("Hello ");
    await ada.getByRole("button", { name: "{{patronName}}" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByLabel("Text", { exact: true }).focus();
    await ada.keyboard.press("End");
    await ada.keyboard.type(", this is {{librarianName}} at {{libraryName}}. Our catalog: https://library.test/catalog");
    // The preview shows the link as a link.
    await ada.getByRole("region", { name: "Preview" }).getByRole("link", { name: "https://library.test/catalog" }).waitFor();
    await expectNoViolations(ada, "a new script being written");
    await ada.getByRole("button", { name: "Add the script" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByRole("status").getByText(`Added “Greeting ${stamp}”.`).waitFor();
    await ada.getByRole("rowheader", { name: `Greeting ${stamp}` }).waitFor();
    expect(await ada.getByRole("link", { name: "Export these scripts as CSV" }).getAttribute("href")).toBe(`/api/canned-messages/export?scope=library&libraryId=${DAY_LIBRARY.id}`);

    const dan = await signInToMonitor(await context(), DAY_LIBRARIAN.email);
    const patron = await patronAsks(`Script question ${stamp}`, "Pat");
    await danAccepts(dan, `Script question ${stamp}`, "Pat");
    const box = dan.getByLabel("Message to Pat");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await dan.keyboard.type("/gree");
    const picker = dan.getByRole("listbox", { name: "Matching scripts" });
    await picker.getByRole("option", { name: new RegExp(`Greeting ${stamp}`) }).waitFor();
    expect(await box.getAttribute("aria-activedescendant")).toBeTruthy();
    await expectNoViolations(dan, "the monitor with the script picker open");
    await dan.keyboard.press("Enter");
    await expect.poll(() => box.inputValue()).toBe("Hello Pat, this is Dan at Day Test Library. Our catalog: https://library.test/catalog");
    await expect.poll(() => picker.count()).toBe(0);
    await dan.keyboard.press("Enter");
    const patronLog = patron.getByRole("log", { name: "Chat messages" });
    await patronLog.getByRole("link", { name: "https://library.test/catalog" }).waitFor();
    await patronLog.getByText("Hello Pat, this is Dan at Day Test Library.", { exact: false }).waitFor();
    // The use is counted, for statistics.
    await ada.reload();
    await ada.getByRole("row", { name: new RegExp(`Greeting ${stamp}`) }).getByText("1 time").waitFor();
    await endByKeyboard(dan, "Pat");
  });
});

describe("descriptive codes at the end of a chat", () => {
  it("follow the library's setting: required, the dialog asks for one and the server holds it", async () => {
    const stamp = Date.now();
    const ada = await signInTo(await context(), DAY_ADMIN.email, "/questions/codes", DEMO_PASSWORD);
    await ada.getByRole("group", { name: "At the end of a chat, descriptive codes are" }).waitFor();
    await expectNoViolations(ada, "the codes page with its setting");
    await ada.getByLabel(/^Required/).focus();
    await ada.keyboard.press("Space");
    await ada.getByRole("button", { name: "Save the setting" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByText(/Saved: Required/).waitFor();

    const dan = await signInToMonitor(await context(), DAY_LIBRARIAN.email);
    await patronAsks(`Codes question ${stamp}`, "Cody");
    await danAccepts(dan, `Codes question ${stamp}`, "Cody");
    await dan.keyboard.press("Alt+Shift+E");
    const end = dan.getByRole("dialog", { name: "End chat with Cody" });
    await end.getByRole("group", { name: /Descriptive codes \(required: at least 1\)/ }).waitFor();
    await end.getByLabel("Answered").focus();
    await dan.keyboard.press("Space");
    await end.getByRole("button", { name: "End chat and save" }).focus();
    await dan.keyboard.press("Enter");
    await end.getByRole("alert").getByText(/Choose at least one descriptive code/).waitFor();
    await expectNoViolations(dan, "the end dialog asking for a code");
    await end.getByLabel("Search codes").focus();
    await dan.keyboard.type("genealogy");
    await dan.keyboard.press("Enter");
    await end.getByRole("button", { name: "End chat and save" }).focus();
    await dan.keyboard.press("Enter");
    await dan.getByText("Chat ended and saved. (Cody)").waitFor();

    // Back to optional, as the library had it.
    await ada.getByLabel(/^Optional/).focus();
    await ada.keyboard.press("Space");
    await ada.getByRole("button", { name: "Save the setting" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByText(/Saved: Optional/).waitFor();
  });
});

describe("ratings and surveys", () => {
  it("are written per form, answered by the patron, seen on the question and in the administrators' list; the mail's link rates once", async () => {
    const stamp = Date.now();
    const ada = await signInTo(await context(), DAY_ADMIN.email, `/admin/forms/${DAY_FORM.id}`, DEMO_PASSWORD);
    const survey = ada.getByRole("form", { name: "After the chat" });
    await survey.waitFor();
    await survey.getByLabel(/A rating and a short survey/).focus();
    await ada.keyboard.press("Space");
    await survey.getByLabel("Question 1", { exact: true }).focus();
    await ada.keyboard.type("Did you find what you needed?");
    await survey.getByLabel("Answered with").focus();
    await ada.keyboard.press("ArrowDown"); // a scale → one choice among options
    await expect.poll(() => survey.getByLabel("Answered with").inputValue()).toBe("choice");
    await survey.getByLabel("Options, one per line").focus();
    await ada.keyboard.type("Yes");
    await ada.keyboard.press("Enter");
    await ada.keyboard.type("No");
    await survey.getByLabel("Required").focus();
    await ada.keyboard.press("Space");
    await expectNoViolations(ada, "the form editor with a survey");
    await survey.getByRole("button", { name: "Save what the form asks" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByText("Saved what the form asks after the chat.").waitFor();

    const email = `rater-${stamp}@patron.example`;
    const dan = await signInToMonitor(await context(), DAY_LIBRARIAN.email);
    const patron = await patronAsks(`Survey question ${stamp}`, "Rita", email);
    await danAccepts(dan, `Survey question ${stamp}`, "Rita");
    const sessionId = new URL(patron.url()).pathname.split("/").pop()!;
    await endByKeyboard(dan, "Rita");

    // The patron answers by keyboard; the required question is asked again if left out.
    await patron.getByRole("heading", { name: "How did we do?" }).waitFor();
    await patron.getByRole("group", { name: "Did you find what you needed?" }).waitFor();
    await expectNoViolations(patron, "the patron's survey");
    await patron.getByLabel("4", { exact: true }).focus();
    await patron.keyboard.press("Space");
    await patron.getByRole("button", { name: "Send feedback" }).focus();
    await patron.keyboard.press("Enter");
    await patron.getByText(/Answer “Did you find what you needed\?”/).waitFor();
    await patron.getByLabel("Yes", { exact: true }).focus();
    await patron.keyboard.press("Space");
    await patron.getByRole("button", { name: "Send feedback" }).focus();
    await patron.keyboard.press("Enter");
    await patron.getByText("Thank you for your feedback.").waitFor();

    // The librarian sees it on the question, beside the transcript.
    const question = await (await dan.context()).newPage();
    await question.goto(`/questions/q-${sessionId}`);
    const rating = question.getByRole("region", { name: "The patron's rating" });
    await rating.getByText("4 of 5").waitFor();
    await rating.getByText("Yes").waitFor();
    await expectNoViolations(question, "a question with its rating");
    // The administrators see it in their list.
    await ada.goto(`/admin/libraries/${DAY_LIBRARY.id}/ratings`);
    await ada.getByRole("row", { name: /4 of 5/ }).first().waitFor();
    await expectNoViolations(ada, "the ratings list");

    // The transcript mail's link: once.
    const mail = await waitForMail(email, "Rate this chat");
    const link = /(http:\/\/\S+\/rate\/[A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1]!;
    const later = await (await context()).newPage();
    await later.goto(link);
    await later.getByRole("heading", { name: "How did we do?" }).waitFor();
    await expectNoViolations(later, "the rating page of the mailed link");
    await later.getByLabel("5", { exact: true }).first().focus();
    await later.keyboard.press("Space");
    await later.getByLabel("No", { exact: true }).focus();
    await later.keyboard.press("Space");
    await later.getByRole("button", { name: "Send feedback" }).focus();
    await later.keyboard.press("Enter");
    await later.getByText(`Your feedback has been sent to ${DAY_LIBRARY.name}.`).waitFor();
    const again = await later.goto(link);
    expect(again?.status()).toBe(410);
    await later.getByText("This rating link has already been used.").waitFor();

    // Back to a rating and a comment for the other tests of this library.
    await ada.goto(`/admin/forms/${DAY_FORM.id}`);
    await ada.getByLabel("A rating and a comment").focus();
    await ada.keyboard.press("Space");
    await ada.getByRole("button", { name: "Save what the form asks" }).focus();
    await ada.keyboard.press("Enter");
    await ada.getByText("Saved what the form asks after the chat.").waitFor();
  });
});

describe("earlier chats", () => {
  it("are recognised by the Qwidget's browser id, linked to their transcripts, and the patron can make the browser forget", async () => {
    const stamp = Date.now();
    const dan = await signInToMonitor(await context(), DAY_LIBRARIAN.email);
    const site = await (await context()).newPage();
    await site.goto("/demo/day-test/index.html");

    const ask = async (question: string) => {
      if (!(await panel(site).isVisible())) {
        await launcher(site).focus();
        await site.keyboard.press("Enter");
      }
      await panel(site).getByLabel("Your question").focus();
      await site.keyboard.type(question);
      await panel(site).getByRole("button", { name: "Send", exact: true }).focus();
      await site.keyboard.press("Enter");
      await dan.locator(".waiting-item", { hasText: question }).waitFor();
      await dan.keyboard.press("Alt+Shift+A");
      await dan.getByRole("tab", { name: "Patron" }).waitFor();
    };
    await ask(`First visit ${stamp}`);
    await endByKeyboard(dan, "Patron");
    await panel(site).getByRole("button", { name: "Close this chat" }).focus();
    await site.keyboard.press("Enter");

    await ask(`Second visit ${stamp}`);
    const details = dan.getByRole("region", { name: "Patron details" });
    const earlier = details.getByRole("link", { name: new RegExp(`First visit ${stamp}`) });
    await earlier.waitFor();
    await details.getByText(/same browser/).waitFor();
    await expectNoViolations(dan, "patron details with an earlier chat");
    const [transcript] = await Promise.all([dan.context().waitForEvent("page"), (async () => {
      await earlier.focus();
      await dan.keyboard.press("Enter");
    })()]);
    await transcript.waitForURL(/\/questions\/q-/);
    await transcript.getByText(`First visit ${stamp}`).first().waitFor();

    // The patron ends the second chat and makes the browser forget.
    await endByKeyboard(dan, "Patron");
    const forget = panel(site).getByRole("button", { name: "Forget this browser" });
    await forget.focus();
    await site.keyboard.press("Enter");
    await panel(site).getByText("This browser no longer tells the library which chats were yours.").waitFor();
    expect(await site.evaluate(() => localStorage.getItem("refdesk-browser"))).toBe("0");
  });
});

describe("one app", () => {
  it("has one header across the staff pages, the current place marked, and a page for a page that is not there", async () => {
    const ada = await signInToMonitor(await context(), DAY_ADMIN.email);
    const nav = ada.getByRole("navigation", { name: "Refdesk" });
    expect(await nav.getByRole("link", { name: "Chat monitor" }).getAttribute("aria-current")).toBe("page");
    for (const [name, path] of [
      ["Questions", "/questions"],
      ["Policy pages", "/policies"],
      ["Cooperative feedback", "/feedback"],
      ["Administration", "/admin"],
    ] as const) {
      await nav.getByRole("link", { name }).focus();
      await ada.keyboard.press("Enter");
      await ada.waitForURL(`**${path}`);
      expect(await ada.getByRole("navigation", { name: "Refdesk" }).getByRole("link", { name }).getAttribute("aria-current"), path).toBe("page");
      await expectNoViolations(ada, path);
    }
    expect(await nav.getByRole("link", { name: "Statistics" }).getAttribute("href")).toBe("/stats");

    const missing = await ada.goto("/admin/no-such-page");
    expect(missing?.status()).toBe(404);
    await ada.getByRole("heading", { name: "Page not found" }).waitFor();
    await ada.getByRole("navigation", { name: "Refdesk" }).waitFor();
    await expectNoViolations(ada, "the 404 page");
    // A librarian sees no administration in the header.
    const dan = await signInToMonitor(await context(), DAY_LIBRARIAN.email);
    expect(await dan.getByRole("navigation", { name: "Refdesk" }).getByRole("link", { name: "Administration" }).count()).toBe(0);
  });
});
