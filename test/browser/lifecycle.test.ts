/**
 * The whole chat as people do it, in real Chromium against wrangler dev:
 * a patron asks from the hosted form, a librarian accepts in the monitor,
 * they chat, the patron reloads mid-chat, the librarian ends with codes,
 * and the transcript mail the send_email binding wrote is parsed.
 */
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/demo-data.mjs";
import { signInToMonitor, useBrowser, waitForMail } from "./browser";

const chromium = useBrowser();

describe("a chat between a patron and a librarian, in the browser", () => {
  it("goes from the hosted form to an e-mailed transcript", async () => {
    const librarianContext = await chromium.context();
    const monitor = await signInToMonitor(librarianContext, "lisa@springfield-library.example", DEMO_PASSWORD);
    await expect.poll(() => monitor.getByText(/\d+ monitoring/).count()).toBeGreaterThan(0);

    const patronContext = await chromium.context();
    const patron = await patronContext.newPage();
    await patron.goto("/f/springfield-chat");
    await expect.poll(() => patron.getByText("A librarian is online now.").count()).toBe(1);
    const question = `Do you have the 1880 census for Ohio? ${Date.now()}`;
    await patron.getByLabel("Your question").fill(question);
    await patron.getByLabel(/Your name/).fill("Homer");
    await patron.getByLabel(/Your e-mail/).fill("homer@patron.example");
    await patron.getByRole("button", { name: "Ask a librarian" }).click();
    await patron.waitForURL(/\/chat\//);
    await patron.getByText(/Finding a librarian for you/).waitFor();
    // The token left the address bar; it lives in this browser only.
    expect(patron.url()).not.toContain("token=");

    // Details typed while waiting reach the librarian's queue as a preview.
    await patron.getByLabel("Add details while you wait").fill("Cuyahoga County, please.");
    await patron.keyboard.press("Enter");
    const row = monitor.locator(".waiting-item", { hasText: question });
    await row.getByText("Cuyahoga County, please.").waitFor();

    await row.getByRole("button", { name: /^Accept/ }).click();
    await monitor.getByRole("tab", { name: /Homer/ }).waitFor();
    await patron.getByText("You are chatting with Lisa.").waitFor();

    const log = monitor.getByRole("log", { name: "Chat with Homer" });
    await log.getByText("Cuyahoga County, please.").waitFor();
    await monitor.getByLabel("Message to Homer").fill("Yes! See https://www.census.gov/ for the schedules.");
    await monitor.keyboard.press("Enter");
    const patronLog = patron.getByRole("log", { name: "Chat messages" });
    const link = patronLog.getByRole("link", { name: "https://www.census.gov/" });
    await link.waitFor();
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");

    // A reload mid-chat brings the whole conversation back.
    await patron.reload();
    await patronLog.getByText("Yes! See").waitFor();
    await patronLog.getByText(question).waitFor();
    await patronLog.getByText("Cuyahoga County, please.").waitFor();
    await patron.getByLabel("Your message").fill("Thank you so much!");
    await patron.keyboard.press("Enter");
    await log.getByText("Thank you so much!").waitFor();

    // End with codes in the one dialog.
    await monitor.getByRole("button", { name: "End chat…" }).click();
    const dialog = monitor.getByRole("dialog", { name: /End chat with Homer/ });
    await dialog.getByLabel("Answered").check();
    await dialog.getByLabel("Search codes").fill("genea");
    await dialog.getByLabel("Genealogy").check();
    await dialog.getByRole("button", { name: "End chat and save" }).click();
    await monitor.getByText("Chat ended and saved.").waitFor();
    await patron.getByText(/This chat has ended/).waitFor();

    const mail = await waitForMail("homer@patron.example", "Thank you so much!");
    expect(mail.subject).toContain("Springfield Public Library");
    expect(mail.text).toContain(question);
    expect(mail.text).toContain("Cuyahoga County, please.");
    expect(mail.text).toContain("Yes! See https://www.census.gov/");
    expect(mail.html).toContain("Thank you so much!");
    await librarianContext.close();
    await patronContext.close();
  });
});
