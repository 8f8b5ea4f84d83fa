/**
 * The chat monitor in real Chromium against wrangler dev, with one patron and
 * two librarians in separate browser contexts: both see the request, both
 * press Accept at the same instant, exactly one gets the chat and the other is
 * told who took it; they chat (typing shown both ways), push a link and a
 * canned message, transfer to the other librarian, end with codes, and the
 * patron's transcript mail is parsed and holds the whole conversation.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { signInToMonitor, useBrowser, waitForMail } from "./browser";

const LISA = { email: "lisa@springfield-library.example", name: "Lisa" };
const MARGE = { email: "marge@springfield-library.example", name: "Marge" };

const { context } = useBrowser();

/** A patron asks from the hosted form and lands in the chat window. */
async function patronAsks(page: Page, question: string, name: string, email: string): Promise<void> {
  await page.goto("/f/springfield-chat");
  await page.getByLabel("Your question").fill(question);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByLabel(/Your e-mail/).fill(email);
  await page.getByRole("button", { name: "Ask a librarian" }).click();
  await page.waitForURL(/\/chat\//);
}

/** Clicks a page's button at an agreed wall-clock instant (both browsers share this machine's clock). */
function clickAt(page: Page, rowText: string, at: number): Promise<void> {
  return page.evaluate(
    ({ rowText, at }) =>
      new Promise<void>((resolve, reject) => {
        const row = [...document.querySelectorAll<HTMLElement>(".waiting-item")].find((li) => li.textContent?.includes(rowText));
        const button = row?.querySelector<HTMLButtonElement>("button.primary");
        if (!button) return reject(new Error("no Accept button"));
        setTimeout(() => {
          button.click();
          resolve();
        }, at - Date.now());
      }),
    { rowText, at },
  );
}

describe("the chat monitor with two librarians and a patron", () => {
  it("decides a simultaneous accept once, then chats, links, transfers, ends with codes and mails the whole transcript", async () => {
    const stamp = Date.now();
    const question = `Where are the Springfield town council minutes from 1950? ${stamp}`;
    const patronEmail = `bart-${stamp}@patron.example`;

    // Marge, a library administrator, adds a canned message; both sign in to the monitor.
    const margeContext = await context();
    const marge = await signInToMonitor(margeContext, MARGE.email, DEMO_PASSWORD);
    const script = `Minutes before 1970 are in the local history room. ${stamp}`;
    const created = await margeContext.request.post("/api/canned-messages", { data: { title: `Local history ${stamp}`, body: script } });
    expect(created.status()).toBe(201);
    const lisaContext = await context();
    const lisa = await signInToMonitor(lisaContext, LISA.email, DEMO_PASSWORD);
    await marge.reload();
    // Presence is live: each sees the other monitoring.
    await lisa.locator(".presence").getByText("Marge").waitFor();
    await marge.locator(".presence").getByText("Lisa").waitFor();

    const patronContext = await context();
    const patron = await patronContext.newPage();
    await patronAsks(patron, question, "Bart", patronEmail);

    // Both see the request, with library, form and a ticking wait.
    const rowOf = (page: Page) => page.locator(".waiting-item", { hasText: question });
    for (const page of [lisa, marge]) {
      await rowOf(page).waitFor();
      await expect.poll(() => rowOf(page).textContent()).toContain("Chat with a Springfield librarian");
    }
    await expect.poll(async () => (await rowOf(lisa).locator(".wait-time").textContent()) !== "0:00", { timeout: 5000 }).toBe(true);

    // Both press Accept at the same instant.
    const at = Date.now() + 400;
    await Promise.all([clickAt(lisa, question, at), clickAt(marge, question, at)]);
    const tabIn = (page: Page) => page.getByRole("tab", { name: /Bart/ });
    await expect.poll(async () => (await tabIn(lisa).count()) + (await tabIn(marge).count()), { timeout: 10_000 }).toBe(1);
    const lisaWon = (await tabIn(lisa).count()) === 1;
    const [winner, loser] = lisaWon ? [lisa, marge] : [marge, lisa];
    const [winnerName, loserName] = lisaWon ? [LISA.name, MARGE.name] : [MARGE.name, LISA.name];
    // Exactly one got the chat; the other is told who took it, and the row is gone for both.
    await loser.getByRole("alert").getByText(`${winnerName} took the chat with Bart first.`).waitFor();
    expect(await tabIn(loser).count()).toBe(0);
    await expect.poll(() => rowOf(loser).count()).toBe(0);
    await expect.poll(() => rowOf(winner).count()).toBe(0);
    await patron.getByText(`You are chatting with ${winnerName}.`).waitFor();

    // Chat both ways, with typing indicators both ways.
    const patronLog = patron.getByRole("log", { name: "Chat messages" });
    const winnerLog = winner.getByRole("log", { name: "Chat with Bart" });
    await winner.getByLabel("Message to Bart").pressSequentially("Let me check", { delay: 20 });
    await patron.getByText(`${winnerName} is typing…`).waitFor();
    await winner.getByLabel("Message to Bart").fill(`Hello Bart, I am looking that up. ${stamp}`);
    await winner.getByLabel("Message to Bart").press("Enter");
    await patronLog.getByText(`Hello Bart, I am looking that up. ${stamp}`).waitFor();
    await patron.getByLabel("Your message").pressSequentially("Thanks", { delay: 20 });
    await winner.getByText("Bart is typing…").waitFor();
    await patron.getByLabel("Your message").press("Enter");
    await winnerLog.getByText("Thanks").waitFor();

    // Push a link: the patron gets it as a link that opens in a new window.
    await winner.getByRole("button", { name: "Send a link…" }).click();
    const linkDialog = winner.getByRole("dialog", { name: "Send a link to Bart" });
    await linkDialog.getByLabel("Address").fill("https://springfield-library.example/local-history");
    await linkDialog.getByLabel(/Title/).fill("Local history room");
    await linkDialog.getByRole("button", { name: "Send link" }).click();
    const link = patronLog.getByRole("link", { name: "https://springfield-library.example/local-history" });
    await link.waitFor();
    expect(await link.getAttribute("target")).toBe("_blank");
    await patronLog.getByText("Local history room:").waitFor();

    // A canned message goes into the message box, then out.
    await winner.getByRole("button", { name: "Canned messages…" }).click();
    const scripts = winner.getByRole("dialog", { name: "Canned messages" });
    await scripts.getByLabel("Search canned messages").fill(`history ${stamp}`);
    await scripts.getByLabel("Search canned messages").press("Enter");
    await expect.poll(() => winner.getByLabel("Message to Bart").inputValue()).toBe(script);
    await winner.getByLabel("Message to Bart").press("Enter");
    await patronLog.getByText(script).waitFor();

    // Patron details, with the Policies link.
    const details = winner.locator(`.patron-panel`);
    await details.getByText(patronEmail).waitFor();
    expect(await details.getByRole("link", { name: /Policies/ }).getAttribute("href")).toBe("/policies/springfield");

    // Transfer to the other librarian, with a note the patron never sees.
    const note = `Internal: patron is researching a school project ${stamp}`;
    await winner.getByRole("button", { name: "Transfer…" }).click();
    const transfer = winner.getByRole("dialog", { name: "Transfer the chat with Bart" });
    await transfer.getByLabel(new RegExp(`^${loserName}`)).check();
    await transfer.getByLabel(/Note for the next librarian/).fill(note);
    await transfer.getByRole("button", { name: "Transfer" }).click();
    await patronLog.getByText(`You are being transferred to ${loserName}.`).waitFor();
    await winner.locator(".banner", { hasText: `Being transferred to ${loserName}` }).waitFor();
    const offer = loser.locator(".waiting-item", { hasText: `Transfer from ${winnerName}` });
    await offer.getByText(note).waitFor();
    await offer.getByRole("button", { name: /^Accept/ }).click();

    // The new librarian has the whole conversation; the first one's tab closes.
    const newLog = loser.getByRole("log", { name: "Chat with Bart" });
    await newLog.getByText(question).waitFor();
    await newLog.getByText(`Hello Bart, I am looking that up. ${stamp}`).waitFor();
    await winner.getByText(`${loserName} accepted the chat with Bart.`).waitFor();
    await expect.poll(() => tabIn(winner).count()).toBe(0);
    await patronLog.getByText(`${loserName} has joined the chat.`).waitFor();
    await loser.locator(".patron-panel").getByText(note).waitFor();
    const closing = `Here is what I found on the minutes. ${stamp}`;
    await loser.getByLabel("Message to Bart").fill(closing);
    await loser.getByLabel("Message to Bart").press("Enter");
    await patronLog.getByText(closing).waitFor();

    // End with codes: resolution, a code found by typing, a note.
    await loser.getByRole("button", { name: "End chat…" }).click();
    const end = loser.getByRole("dialog", { name: "End chat with Bart" });
    await end.getByRole("button", { name: "End chat and save" }).click();
    await end.getByText("Choose a resolution code.").first().waitFor();
    await end.getByLabel("Answered").check();
    await end.getByLabel("Search codes").fill("local hist");
    await end.getByLabel("Search codes").press("Enter");
    await end.getByRole("button", { name: "Remove Local history" }).waitFor();
    await end.getByLabel(/^Note/).fill("Referred to local history room.");
    await end.getByRole("button", { name: "End chat and save" }).click();
    await loser.getByText("Chat ended and saved. (Bart)").waitFor();
    await patron.getByText(/This chat has ended/).waitFor();

    // The patron's mail holds the whole transcript, and not the internal note.
    const mail = await waitForMail(patronEmail, closing);
    expect(mail.subject).toContain("Springfield Public Library");
    for (const line of [question, `Hello Bart, I am looking that up. ${stamp}`, "Thanks", "Local history room: https://springfield-library.example/local-history", script, `You are being transferred to ${loserName}.`, closing]) {
      expect(mail.text).toContain(line);
    }
    expect(mail.text).not.toContain(note);
    expect(mail.html).not.toContain(note);
  });
});
