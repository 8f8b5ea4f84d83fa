/**
 * Where an ended chat lands in the Ask a Librarian module, for every
 * resolution code: once when the home library's own librarian chatted, once
 * when a partner library's librarian served the patron from the cooperative
 * queue. The expectations are PRODUCT.md's "Resolution codes", written out.
 */
import { describe, expect, it } from "vitest";
import { ROUTING } from "../../src/questions/routing";
import { ALL_RESOLUTIONS, RESOLUTION_CODES, type FiledResolution } from "../../src/shared/codes";
import { QUESTION_LISTS, type QuestionList, type QuestionStatus } from "../../src/shared/question-rules";
import type { QuestionListResponse } from "../../src/shared/questions-api";
import { accept, endChat, staffedLibrary, startChat } from "./helpers";
import { api, cooperative, getQuestion, partnerServes, questionRow } from "./question-fixtures";

/** PRODUCT.md: what each resolution code does with the transcript. */
const SPEC: Record<FiledResolution, { status: QuestionStatus; owner: "chatter" | "nobody"; hidden: boolean; inStats: boolean }> = {
  answered: { status: "answered", owner: "chatter", hidden: false, inStats: true },
  followup_by_me: { status: "pending", owner: "chatter", hidden: false, inStats: true },
  followup_by_library: { status: "new", owner: "nobody", hidden: false, inStats: true },
  lost_call: { status: "closed", owner: "nobody", hidden: false, inStats: true },
  practice: { status: "answered", owner: "chatter", hidden: false, inStats: false },
  spam: { status: "closed", owner: "nobody", hidden: true, inStats: false },
  // Nobody ended it: the patron's library looks at it (test/worker/idle-chats.test.ts ends one).
  auto_ended: { status: "new", owner: "nobody", hidden: false, inStats: true },
};

const CODES = RESOLUTION_CODES.map((r) => r.code);

/** The lists (of the viewer) that show the question, with hidden questions left out or included. */
async function listsShowing(cookie: string, questionId: string, hidden: "exclude" | "include" = "exclude"): Promise<QuestionList[]> {
  const found: QuestionList[] = [];
  for (const list of QUESTION_LISTS) {
    const res = await api<QuestionListResponse>(`/api/questions?list=${list}&size=100&hidden=${hidden}`, cookie);
    expect(res.status).toBe(200);
    if (res.body.questions.some((q) => q.id === questionId)) found.push(list);
  }
  return found;
}

/** Which lists should show a question in `status`, to a viewer who does or does not own it. */
function expectedLists(status: QuestionStatus, ownedByViewer: boolean): QuestionList[] {
  const lists: QuestionList[] = [];
  if (status === "new" && !ownedByViewer) lists.push("new");
  if (ownedByViewer && (status === "new" || status === "pending")) lists.push("mine");
  if (status !== "new") lists.push(status);
  lists.push("all");
  return QUESTION_LISTS.filter((l) => lists.includes(l));
}

describe("the routing table", () => {
  it("has one rule for every resolution code, and it says what PRODUCT.md says", () => {
    expect(Object.keys(ROUTING).sort()).toEqual(ALL_RESOLUTIONS.map((r) => r.code).sort());
    for (const code of ALL_RESOLUTIONS.map((r) => r.code)) {
      const rule = ROUTING[code];
      expect({ code, status: rule.status, assign: rule.assignToLibrarian, hidden: rule.hidden, excluded: rule.excludeFromStats }).toEqual({
        code,
        status: SPEC[code].status,
        assign: SPEC[code].owner === "chatter",
        hidden: SPEC[code].hidden,
        excluded: !SPEC[code].inStats,
      });
    }
  });
});

describe.each(CODES)("a chat ended as %s", (code) => {
  const spec = SPEC[code];

  it("by a librarian of the patron's own library lands in that library's module as the rule says", async () => {
    const { library, formId, librarians, cookies } = await staffedLibrary(1);
    const chat = await startChat(formId, { name: "Ada", email: "ada@patron.test" });
    expect((await accept(chat.sessionId, cookies[0])).status).toBe(200);
    const ended = await endChat(chat.sessionId, cookies[0], { resolution: code, descriptiveCodes: ["genealogy"] });
    expect(ended.status, await ended.clone().text()).toBe(200);
    const questionId = `q-${chat.sessionId}`;

    expect(await questionRow(questionId)).toMatchObject({
      library_id: library.id,
      status: spec.status,
      assigned_to: spec.owner === "chatter" ? librarians[0]!.id : null,
      hidden: spec.hidden ? 1 : 0,
      exclude_from_stats: spec.inStats ? 0 : 1,
    });
    const detail = await getQuestion(questionId, cookies[0]!);
    expect(detail.status).toBe(200);
    expect(detail.body.viewer.home).toBe(true);
    expect(detail.body.session?.resolution).toBe(code);
    expect(detail.body.events[0]).toMatchObject({ action: "filed", actor: { id: librarians[0]!.id } });

    const owned = spec.owner === "chatter";
    expect(await listsShowing(cookies[0]!, questionId)).toEqual(spec.hidden ? [] : expectedLists(spec.status, owned));
    if (spec.hidden) expect(await listsShowing(cookies[0]!, questionId, "include")).toEqual(expectedLists(spec.status, owned));
  });

  it("by a partner library's librarian from the cooperative queue lands at the patron's home library", async () => {
    const coop = await cooperative();
    const { questionId } = await partnerServes(coop, code);

    expect(await questionRow(questionId)).toMatchObject({
      library_id: coop.library.id,
      status: spec.status,
      assigned_to: spec.owner === "chatter" ? coop.partner.id : null,
      hidden: spec.hidden ? 1 : 0,
      exclude_from_stats: spec.inStats ? 0 : 1,
    });

    // The home library always sees it, in the lists the rule puts it in.
    const atHome = await getQuestion(questionId, coop.cookie);
    expect(atHome.status).toBe(200);
    expect(atHome.body.session).toMatchObject({ servedByPartner: true, chattedWith: { id: coop.partner.id, libraryName: "Partner Library" } });
    expect(await listsShowing(coop.cookie, questionId)).toEqual(spec.hidden ? [] : expectedLists(spec.status, false));

    // The partner sees only their own "Followup By Me" question, in Mine and Pending.
    const byPartner = await getQuestion(questionId, coop.partnerCookie);
    const partnerFollowsUp = code === "followup_by_me";
    expect(byPartner.status).toBe(partnerFollowsUp ? 200 : 404);
    expect(await listsShowing(coop.partnerCookie, questionId, "include")).toEqual(partnerFollowsUp ? ["mine", "pending", "all"] : []);
    if (partnerFollowsUp) {
      expect(byPartner.body.viewer).toMatchObject({ home: false, actions: [], canAnswer: true, canEditCodes: false });
      expect(byPartner.body.colleagues).toEqual([]);
    }
  });
});
