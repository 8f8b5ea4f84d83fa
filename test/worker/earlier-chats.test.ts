/**
 * Earlier chats in the patron's details: found by e-mail address and by the
 * anonymous id the patron's browser sends (the Qwidget's), only at the same
 * library and only where the viewer may read them, each with a link to its
 * transcript (the question's page) where the viewer may read that.
 */
import { describe, expect, it } from "vitest";
import { accept, activeChat, call, closeSocket, createForm, createGroup, createLibrarian, createLibrary, endChat, monitorQueue, signIn, startChat, uniqueId } from "./helpers";

interface Earlier {
  id: string;
  matchedBy: "email" | "browser";
  transcriptUrl: string | null;
}
const details = async (sessionId: string, cookie: string) => {
  const res = await call(`/api/chats/${sessionId}/details`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { earlierSessions: Earlier[]; recognisable: boolean };
};
const BROWSER = "3b9f6c1e-7a2d-4f0b-9c8e-5d4a3b2c1d0e";

/** A chat answered and ended as "answered" by the librarian with `cookie`. */
async function answered(formId: string, cookie: string, patron: Record<string, unknown>) {
  const chat = await startChat(formId, patron);
  expect(chat.status, JSON.stringify(chat)).toBe("waiting");
  expect((await accept(chat.sessionId, cookie)).status).toBe(200);
  expect((await endChat(chat.sessionId, cookie, { resolution: "answered" })).status).toBe(200);
  return chat.sessionId;
}

describe("earlier chats", () => {
  it("are found by the browser's anonymous id as well as by e-mail, at the same library only, with links to their transcripts", async () => {
    const now = await activeChat({ patron: { browserId: BROWSER } });
    const byBrowser = await answered(now.formId, now.cookie, { browserId: BROWSER });
    const byEmail = await answered(now.formId, now.cookie, { email: "someone@patron.test" });
    const stranger = await answered(now.formId, now.cookie, { browserId: "00000000-0000-4000-8000-000000000000" });

    // The same browser at another library is another library's business.
    const other = await activeChat();
    const elsewhere = await answered(other.formId, other.cookie, { browserId: BROWSER });

    const current = await startChat(now.formId, { browserId: BROWSER, email: "someone@patron.test" });
    const d = await details(current.sessionId, now.cookie);
    expect(d.recognisable).toBe(true);
    const byId = new Map(d.earlierSessions.map((s) => [s.id, s]));
    expect([...byId.keys()].sort()).toEqual([now.chat.sessionId, byBrowser, byEmail].sort());
    expect(byId.has(stranger) || byId.has(elsewhere)).toBe(false);
    expect(byId.get(byBrowser)).toMatchObject({ matchedBy: "browser", transcriptUrl: `/questions/q-${byBrowser}` });
    expect(byId.get(byEmail)).toMatchObject({ matchedBy: "email", transcriptUrl: `/questions/q-${byEmail}` });
    // Still being served: nothing filed yet, so no transcript page.
    expect(byId.get(now.chat.sessionId)).toMatchObject({ matchedBy: "browser", transcriptUrl: null });
  });

  it("are not looked for without an e-mail address or a browser id", async () => {
    const chat = await activeChat();
    const d = await details(chat.chat.sessionId, chat.cookie);
    expect(d).toMatchObject({ recognisable: false, earlierSessions: [] });
  });

  it("give a partner librarian only the chats they served, and no transcript link where they may not read the question", async () => {
    const home = await createLibrary({ name: "Home" });
    const partner = await createLibrary({ name: "Partner" });
    const groupId = uniqueId("coop");
    await createGroup(groupId, "Coop", [home.id, partner.id]);
    const coopForm = await createForm(home.id, { queueId: `group:${groupId}` });
    const partnerCookie = await signIn(await createLibrarian(partner.id, "Partner Desk"));
    const monitor = await monitorQueue(`group:${groupId}`, partnerCookie);
    const served = await answered(coopForm, partnerCookie, { browserId: BROWSER });
    const current = await startChat(coopForm, { browserId: BROWSER });
    expect((await accept(current.sessionId, partnerCookie)).status).toBe(200);
    const d = await details(current.sessionId, partnerCookie);
    // They may read the chat they served, but its question belongs to the home library (answered, not "Followup By Me").
    expect(d.earlierSessions).toEqual([expect.objectContaining({ id: served, matchedBy: "browser", transcriptUrl: null })]);
    const homeCookie = await signIn(await createLibrarian(home.id, "Home Desk"));
    expect((await details(current.sessionId, homeCookie)).earlierSessions).toEqual([expect.objectContaining({ id: served, transcriptUrl: `/questions/q-${served}` })]);
    await closeSocket(monitor);
  });

  it("refuses a browser id that is not one, and starts nothing", async () => {
    const library = await createLibrary();
    const formId = await createForm(library.id);
    for (const browserId of ["short", "has spaces in it, 12345", "x".repeat(65), 12]) {
      const res = await startChat(formId, { browserId });
      expect(res.res.status, String(browserId)).toBe(400);
      expect(res.error?.field).toBe("browserId");
    }
  });
});
