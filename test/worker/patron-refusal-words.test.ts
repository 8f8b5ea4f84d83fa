/**
 * A patron reads every refusal in their own language: the service answers
 * with a stable code and field (and an English sentence for API clients),
 * and the patron's window words it from the catalog
 * (src/i18n/refusal-words.ts, src/client/shared/file-upload.ts) — here with
 * the patron's catalog loaded as their page loads it. The hosted form words
 * its problems itself, and a mailed file link that cannot give its file opens
 * a page in the chat's language.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { fileRefusalText } from "../../src/client/shared/file-upload";
import { setMessages, t } from "../../src/client/shared/i18n";
import { patronCatalog, translate } from "../../src/i18n/catalog";
import type { Language } from "../../src/i18n/languages";
import { compileMessages } from "../../src/i18n/message-format";
import { answerProblemKey, refusalKey } from "../../src/i18n/refusal-words";
import { signedFilePath } from "../../src/files/links";
import { FILE_LIMITS, LIMITS } from "../../src/shared/limits";
import { call, createForm, createLibrary, staffedLibrary, startChat } from "./helpers";
import { element, elements, postChat, postHostedForm } from "./patron-helpers";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const HTML = new TextEncoder().encode("<!doctype html><script>alert(1)</script>");
const ALL_LANGUAGES = JSON.stringify(["en", "es", "fr", "ar"]);
const MB = 1024 * 1024;

/** The patron's page in `language`: its catalog as the page gets it. */
function pageIn(language: Language): void {
  setMessages(language, compileMessages(patronCatalog(language)));
}

interface ApiRefusal {
  status: number;
  code: string;
  message: string;
  field?: string;
}

async function refusalOf(res: Response): Promise<ApiRefusal> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

function upload(sessionId: string, token: string, bytes: Uint8Array<ArrayBuffer>, name: string): Promise<Response> {
  const query = new URLSearchParams({ clientId: crypto.randomUUID(), name });
  return call(`/api/chats/${sessionId}/files?${query}`, { method: "POST", headers: { "Content-Type": "application/octet-stream", Authorization: `Bearer ${token}` }, body: bytes });
}

/** A waiting chat whose patron reads `language` (the form offers every language). */
async function chatIn(language: Language) {
  const { formId } = await staffedLibrary();
  await env.DB.prepare("UPDATE forms SET languages = ? WHERE id = ?").bind(ALL_LANGUAGES, formId).run();
  const chat = await startChat(formId, { language });
  expect(chat.status).toBe("waiting");
  return chat;
}

beforeEach(() => pageIn("en"));

describe("file refusals in the patron's language", () => {
  it("a Spanish patron sending a web page, or an empty file, reads why in Spanish, never the server's English", async () => {
    const chat = await chatIn("es");
    pageIn("es");
    const wrong = await upload(chat.sessionId, chat.token, HTML, "gato.png");
    const refusal = await refusalOf(wrong.clone());
    expect(refusal).toMatchObject({ status: 415, code: "validation_failed", field: "file" });
    const shown = fileRefusalText(wrong.status, refusal);
    expect(shown).toBe(translate("es", "files.wrongType", { megabytes: FILE_LIMITS.fileBytes / MB }));
    expect(shown).toContain("PNG, JPEG, WebP o GIF");
    expect(shown).not.toBe(refusal.message);

    const empty = await upload(chat.sessionId, chat.token, new Uint8Array(0), "vacío.pdf");
    expect(fileRefusalText(empty.status, await refusalOf(empty))).toBe(translate("es", "files.empty"));
  });

  it("a French patron over the chat's file limit reads the limits in French", async () => {
    const chat = await chatIn("fr");
    for (let i = 0; i < FILE_LIMITS.perPatron; i++) expect((await upload(chat.sessionId, chat.token, PNG, `p${i}.png`)).status).toBe(201);
    const over = await upload(chat.sessionId, chat.token, PNG, "encore.png");
    const refusal = await refusalOf(over);
    // The object's refusal: no field, as the limit is the chat's and not this file's.
    expect(refusal).toMatchObject({ status: 413, code: "too_large" });
    expect(refusal.field).toBeUndefined();
    pageIn("fr");
    const shown = fileRefusalText(over.status, refusal);
    expect(shown).toBe(translate("fr", "files.chatFull", { files: FILE_LIMITS.perChat, patronFiles: FILE_LIMITS.perPatron, megabytes: FILE_LIMITS.chatBytes / MB }));
    expect(shown).toContain(`${FILE_LIMITS.perChat}\u00a0fichiers`);
  });

  it("an Arabic patron whose chat is over, or whose file is too large, reads it in Arabic", async () => {
    // Nobody monitors this library's queue: the chat is over at once (unavailable).
    const library = await createLibrary();
    const formId = await createForm(library.id);
    await env.DB.prepare("UPDATE forms SET languages = ? WHERE id = ?").bind(ALL_LANGUAGES, formId).run();
    const chat = await startChat(formId, { language: "ar" });
    expect(chat.status).toBe("unavailable");
    const over = await upload(chat.sessionId, chat.token, PNG, "صورة.png");
    const refusal = await refusalOf(over);
    expect(refusal).toMatchObject({ status: 409, code: "session_ended" });
    pageIn("ar");
    expect(fileRefusalText(over.status, refusal)).toBe(translate("ar", "chat.ended"));

    const open = await chatIn("ar");
    const big = await upload(open.sessionId, open.token, new Uint8Array(FILE_LIMITS.fileBytes + 1), "كبير.png");
    const tooBig = await refusalOf(big);
    expect(tooBig).toMatchObject({ status: 413, code: "too_large", field: "file" });
    expect(fileRefusalText(big.status, tooBig)).toBe(translate("ar", "files.tooLarge"));
    // A proxy's page instead of our JSON: the status still says it.
    expect(fileRefusalText(413, undefined)).toBe(translate("ar", "files.tooLarge"));
  });

  it("a code the page does not know is worded by the catalog too, never left empty or English", () => {
    pageIn("es");
    expect(fileRefusalText(500, { code: "internal", message: "Something went wrong on our side." })).toBe(translate("es", "files.failed"));
    expect(fileRefusalText(418, { code: "some_new_code", message: "English words" })).toBe(translate("es", "files.failed"));
    expect(fileRefusalText(502, undefined)).toBe(translate("es", "files.failed"));
    expect(fileRefusalText(401, { code: "unauthorized", message: "This chat link is not valid." })).toBe(translate("es", "problem.chatLink"));
  });
});

describe("form problems in the patron's language", () => {
  /** A form asking for a patron type (a choice) and an e-mail, in every language. */
  async function formWithChoices() {
    const { formId } = await staffedLibrary();
    const fields = [
      { id: "email", label: "Your e-mail", kind: "email", required: false },
      { id: "patron-type", label: "I am a…", kind: "select", required: true, options: ["Student", "Faculty"] },
    ];
    const translations = { es: { fields: { "patron-type": { label: "Soy…" } } }, fr: { fields: { "patron-type": { label: "Je suis…" } } }, ar: { fields: { "patron-type": { label: "أنا…" } } } };
    await env.DB.prepare("UPDATE forms SET fields = ?, languages = ?, translations = ? WHERE id = ?").bind(JSON.stringify(fields), ALL_LANGUAGES, JSON.stringify(translations), formId).run();
    return formId;
  }

  it("the Qwidget's start form: a Spanish, French or Arabic patron reads each refusal at its field in their language", async () => {
    const formId = await formWithChoices();
    const cases: { language: Language; label: string }[] = [
      { language: "es", label: "Soy…" },
      { language: "fr", label: "Je suis…" },
      { language: "ar", label: "أنا…" },
    ];
    for (const { language, label } of cases) {
      pageIn(language);
      // No question: the schema's refusal, at `question`.
      const noQuestion = await refusalOf(await postChat({ formId, question: "", language, fields: { "patron-type": "Student" } }));
      expect(noQuestion).toMatchObject({ code: "validation_failed", field: "question" });
      expect(t(refusalKey(noQuestion))).toBe(translate(language, "problem.question"));
      // Not an e-mail address.
      const badEmail = await refusalOf(await postChat({ formId, question: "Maps?", email: "not-an-address", language, fields: { "patron-type": "Student" } }));
      expect(badEmail).toMatchObject({ code: "validation_failed", field: "email" });
      expect(t(refusalKey(badEmail))).toBe(translate(language, "problem.email"));
      // The form's own choice left out, then answered with something it does not offer: worded with its label in that language.
      const missing = await refusalOf(await postChat({ formId, question: "Maps?", language }));
      expect(missing).toMatchObject({ code: "validation_failed", field: "fields.patron-type" });
      expect(t(answerProblemKey("select", undefined), { label })).toBe(translate(language, "problem.required", { label }));
      const wrong = await refusalOf(await postChat({ formId, question: "Maps?", language, fields: { "patron-type": "Wizard" } }));
      expect(wrong.field).toBe("fields.patron-type");
      expect(t(answerProblemKey("select", "Wizard"), { label })).toBe(translate(language, "problem.chooseOption", { label }));
      for (const shown of [t(refusalKey(noQuestion)), t(refusalKey(badEmail))]) expect(shown).not.toMatch(/Please|Enter a valid/);
    }
  });

  it("a form that is gone, and too many requests, are worded by their code", async () => {
    pageIn("fr");
    const gone = await refusalOf(await postChat({ formId: "no-such-form", question: "Maps?" }));
    expect(gone).toMatchObject({ status: 404, code: "not_found", field: "formId" });
    expect(t(refusalKey(gone))).toBe(translate("fr", "problem.formGone"));
    expect(t(refusalKey({ code: "rate_limited" }))).toBe(translate("fr", "problem.rateLimited"));
    expect(t(refusalKey({ code: "session_ended" }))).toBe(translate("fr", "chat.ended"));
    expect(t(refusalKey({ code: "offline" }))).toBe(translate("fr", "problem.offline"));
    expect(t(refusalKey({ code: "no_such_code" }))).toBe(translate("fr", "problem.failed"));
  });

  it("the hosted form without JavaScript shows every problem in the patron's language, English unchanged", async () => {
    const formId = await formWithChoices();
    const typed = { formId, question: "   ", email: "not-an-address", "field:patron-type": "Wizard" };
    const summaryIn = async (language: Language) => {
      const res = await postHostedForm({ ...typed, language });
      expect(res.status).toBe(400);
      return (await elements(await res.text(), ".error-summary a")).map((a) => a.text);
    };
    expect(await summaryIn("es")).toEqual([translate("es", "problem.question"), translate("es", "problem.email"), translate("es", "problem.chooseOption", { label: "Soy…" })]);
    expect(await summaryIn("ar")).toEqual([translate("ar", "problem.question"), translate("ar", "problem.email"), translate("ar", "problem.chooseOption", { label: "أنا…" })]);
    expect(await summaryIn("en")).toEqual(["Please type your question", "Enter a valid e-mail address", "I am a…: choose one of the options"]);
    // Over a limit (only a hand-made post can be): the limit, in French.
    const long = await postHostedForm({ formId, question: "q".repeat(LIMITS.questionChars + 1), "field:patron-type": "Student", language: "fr" });
    expect((await elements(await long.text(), ".error-summary a")).map((a) => a.text)).toEqual([translate("fr", "problem.maxChars", { max: LIMITS.questionChars })]);
  });
});

describe("a mailed file link that cannot give its file", () => {
  const asBrowser = (language = "en") => ({ headers: { Accept: "text/html,application/xhtml+xml", "Accept-Language": language } });

  async function pageOf(res: Response) {
    const html = await res.text();
    return { status: res.status, lang: /<html lang="([^"]+)"/.exec(html)?.[1], dir: /<html lang="[^"]+" dir="([^"]+)"/.exec(html)?.[1] ?? null, text: (await element(html, "main p")).text };
  }

  it("opens a page in the chat's language when expired or gone, in the browser's when not ours; API clients keep the JSON", async () => {
    const spanish = await chatIn("es");
    const sent = (await (await upload(spanish.sessionId, spanish.token, PNG, "mapa.png")).json()) as { message: { file: { id: string } } };
    const fileId = sent.message.file.id;
    const expired = await signedFilePath(env, spanish.sessionId, fileId, Date.now() - 1000);
    // The browser asks in English: the chat's Spanish wins.
    expect(await pageOf(await call(expired, asBrowser("en")))).toEqual({ status: 403, lang: "es", dir: null, text: translate("es", "mail.fileLinkExpired") });

    const arabic = await chatIn("ar");
    const gone = await signedFilePath(env, arabic.sessionId, crypto.randomUUID(), Date.now() + 60_000);
    expect(await pageOf(await call(gone, asBrowser("fr")))).toEqual({ status: 404, lang: "ar", dir: "rtl", text: translate("ar", "mail.fileGone") });

    // Changed by hand: it vouches for no chat, so the browser's language (French here).
    const forged = expired.replace(/sig=[^&]+/, `sig=${"A".repeat(43)}`);
    expect(await pageOf(await call(forged, asBrowser("fr-CA,fr;q=0.9")))).toEqual({ status: 403, lang: "fr", dir: null, text: translate("fr", "mail.fileLinkForged") });

    // An image element or an API client: the JSON error as before.
    const json = await call(expired);
    expect(json.status).toBe(403);
    expect(await json.json()).toMatchObject({ error: { code: "forbidden" } });
  });
});

