/**
 * Patrons in their own language: which language a form is shown in
 * (the request's `?lang=`, the browser's languages by preference, the form's
 * default), every catalog complete and valid ICU, system lines worded for each
 * reader, and a Spanish chat's transcript mail in Spanish.
 */
import { parse as parseIcu, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { CATALOGS, lookupIn, translate } from "../../src/i18n/catalog";
import { acceptedLanguages, chooseLanguage, LANGUAGES } from "../../src/i18n/languages";
import { argumentNames, formatMessage } from "../../src/i18n/message-format";
import { messageText } from "../../src/i18n/system-lines";
import { transcriptMailKey } from "../../src/questions/file-session";
import { COBROWSE_END_REASONS, SYSTEM_LINES_EN, systemLineText, type SystemLine } from "../../src/shared/system-lines";
import { accept, call, createLibrary, endChat, staffedLibrary, startChat } from "./helpers";
import { admin, expectError, json, signedIn } from "./admin-helpers";
import { mailReaches } from "./question-fixtures";

/** Offers `languages` (default first unless said) on a fresh form. */
async function formOffering(languages: string[], defaultLanguage = languages[0]!, translations: unknown = {}): Promise<string> {
  const library = await createLibrary({ name: "Biblioteca Springfield" });
  const id = `lang-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO forms (id, library_id, queue_id, title, intro, languages, default_language, translations) VALUES (?, ?, ?, 'Ask us', 'We answer fast.', ?, ?, ?)")
    .bind(id, library.id, library.queueId, JSON.stringify(languages), defaultLanguage, JSON.stringify(translations))
    .run();
  return id;
}

/** The hosted form's `<html lang dir>` for a request. */
async function shownIn(formId: string, acceptLanguage: string | null, query = ""): Promise<{ lang: string; dir: string | null; html: string }> {
  const res = await call(`/f/${formId}${query}`, { headers: acceptLanguage ? { "Accept-Language": acceptLanguage } : {} });
  expect(res.status).toBe(200);
  const html = await res.text();
  const tag = /<html lang="([^"]+)"(?: dir="([^"]+)")?>/.exec(html)!;
  return { lang: tag[1]!, dir: tag[2] ?? null, html };
}

describe("choosing the language", () => {
  it("reads Accept-Language by q-value, then by order, and drops q=0 and *", () => {
    expect(acceptedLanguages("fr;q=0.4, es-MX, en;q=0.8, de;q=0, *;q=0.1")).toEqual(["es-MX", "en", "fr"]);
    expect(acceptedLanguages(null)).toEqual([]);
  });

  it("picks the asked language if offered, else the browser's first offered (region tags count as their language), else the default", () => {
    const offered = ["en", "es"];
    expect(chooseLanguage({ offered, fallback: "en", preferred: ["es-MX", "en"] })).toBe("es");
    expect(chooseLanguage({ offered, fallback: "en", preferred: ["de", "ja"] })).toBe("en");
    expect(chooseLanguage({ offered, fallback: "es", preferred: [] })).toBe("es");
    expect(chooseLanguage({ offered, fallback: "en", requested: "es", preferred: ["en"] })).toBe("es");
    // Asked for a language the form does not offer (Arabic here), or one Refdesk does not speak: passed over.
    expect(chooseLanguage({ offered, fallback: "en", requested: "ar", preferred: ["fr", "es"] })).toBe("es");
    expect(chooseLanguage({ offered, fallback: "en", requested: "xx", preferred: [] })).toBe("en");
  });

  it("shows the hosted form in the browser's language among those offered, with ?lang= overriding", async () => {
    const formId = await formOffering(["en", "es", "ar"], "en");
    expect((await shownIn(formId, "es-MX,es;q=0.9,en;q=0.5")).lang).toBe("es");
    expect((await shownIn(formId, "fr-CA, de;q=0.8, es;q=0.3")).lang).toBe("es");
    expect((await shownIn(formId, "de, ja;q=0.5")).lang).toBe("en");
    expect((await shownIn(formId, null)).lang).toBe("en");
    expect((await shownIn(formId, "es", "?lang=en")).lang).toBe("en");
    // French is not offered: ?lang=fr is ignored, the browser decides.
    expect((await shownIn(formId, "es", "?lang=fr")).lang).toBe("es");
    const arabic = await shownIn(formId, "en", "?lang=ar");
    expect(arabic).toMatchObject({ lang: "ar", dir: "rtl" });
    expect(arabic.html).toContain(CATALOGS.ar["form.submit"]);
    expect((await shownIn(formId, "en")).dir).toBeNull();
  });

  it("shows the form's own texts per language, the default language's where one is missing, never an empty label", async () => {
    const formId = await formOffering(["en", "es"], "en", { es: { title: "Pregunte a la biblioteca", fields: { name: { help: "Como quiere que le llamemos" } } } });
    const { html } = await shownIn(formId, "es");
    expect(html).toContain("<h1>Pregunte a la biblioteca</h1>");
    // No Spanish introduction: the English one.
    expect(html).toContain("We answer fast.");
    // Built-in labels the library kept as Refdesk wrote them: Refdesk's Spanish.
    expect(html).toContain(`<label for="f-name">${CATALOGS.es["form.nameLabel"]}`);
    expect(html).toContain("Como quiere que le llamemos");
    expect(html).not.toMatch(/<label for="[^"]+"><\/label>/);
  });

  it("gives the Qwidget the patron's language from langs= (navigator.languages), with the launcher's words in it", async () => {
    const formId = await formOffering(["en", "fr", "ar"], "en");
    const res = await call(`/api/embed/status?form=${formId}&langs=${encodeURIComponent("fr-FR,fr,en-US")}`);
    const status = (await res.json()) as { language: { tag: string; dir: string; offered: { tag: string }[] }; launcher: { label: string } };
    expect(status.language).toMatchObject({ tag: "fr", dir: "ltr" });
    expect(status.language.offered.map((o) => o.tag)).toEqual(["en", "fr", "ar"]);
    expect(status.launcher.label).toBe(CATALOGS.fr["launcher.label"]);
    const rtl = (await (await call(`/api/embed/status?form=${formId}&lang=ar&langs=fr`)).json()) as { language: { tag: string; dir: string } };
    expect(rtl.language).toMatchObject({ tag: "ar", dir: "rtl" });
  });

  it("keeps a form's languages and texts per language from the form builder; refuses a default it does not offer, changing nothing", async () => {
    const library = await createLibrary({ name: "Biblioteca Oak Park" });
    const boss = await signedIn(library.id, "library_admin");
    const body = { title: "Ask us", intro: "We answer fast.", fields: [{ id: "question", label: "Your question", kind: "textarea", required: true }], queueId: library.queueId, chatMethod: "chat", enabled: true };
    const created = await admin(`/libraries/${library.id}/forms`, boss.cookie, { method: "POST", json: body });
    expect(created.status).toBe(201);
    const formId = (await json<{ form: { id: string; languages: string[] } }>(created)).form.id;
    const put = (extra: Record<string, unknown>) => admin(`/forms/${formId}`, boss.cookie, { method: "PUT", json: { ...body, ...extra } });
    const saved = await put({ languages: ["en", "es"], defaultLanguage: "en", translations: { es: { title: "Pregúntenos", fields: { question: { label: "Su consulta" } } } } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await json<{ form: { languages: string[]; translations: unknown } }>(saved)).form).toMatchObject({ languages: ["en", "es"], translations: { es: { title: "Pregúntenos" } } });
    const before = await env.DB.prepare("SELECT languages, default_language, translations FROM forms WHERE id = ?").bind(formId).first();
    await expectError(await put({ languages: ["en", "es"], defaultLanguage: "fr" }), 400, "defaultLanguage");
    await expectError(await put({ languages: ["en", "xx"] }), 400);
    expect(await env.DB.prepare("SELECT languages, default_language, translations FROM forms WHERE id = ?").bind(formId).first()).toEqual(before);
    // Left out, the languages stay as they were (an older client's save changes none of them).
    expect((await put({})).status).toBe(200);
    expect(await env.DB.prepare("SELECT languages, default_language, translations FROM forms WHERE id = ?").bind(formId).first()).toEqual(before);
    const { html } = await shownIn(formId, "es");
    expect(html).toContain("<h1>Pregúntenos</h1>");
    expect(html).toContain('<label for="f-question">Su consulta</label>');
  });
});

/** The argument names an ICU message uses, by the reference parser. */
function referenceArguments(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.add(e.value);
      for (const option of Object.values(e.options)) referenceArguments(option.value, into);
    }
  }
  return into;
}

describe("the catalogs", () => {
  const english = CATALOGS.en;
  for (const language of LANGUAGES) {
    it(`${language}: every key English has, no other, each valid ICU with the same placeholders`, () => {
      const catalog = CATALOGS[language];
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort());
      for (const [key, text] of Object.entries(catalog) as [keyof typeof english, string][]) {
        expect(text.trim(), key).not.toBe("");
        const reference = [...referenceArguments(parseIcu(text))].sort();
        expect(argumentNames(text).sort(), `${language} ${key}`).toEqual(reference);
        expect(reference, `${language} ${key}: every placeholder used, none extra`).toEqual([...referenceArguments(parseIcu(english[key]))].sort());
      }
    });
  }

  it("plurals follow each language's rules", () => {
    const minutes = (language: (typeof LANGUAGES)[number], n: number) => translate(language, "system.endedIdle", { minutes: n });
    expect(minutes("en", 1)).toContain("1 minute without");
    expect(minutes("en", 30)).toContain("30 minutes");
    expect(minutes("fr", 0)).toContain("0 minute sans");
    expect(minutes("es", 1)).toContain("1 minuto sin");
    expect(minutes("ar", 2)).toContain("دقيقتين");
    expect(minutes("ar", 1)).toContain("دقيقة واحدة");
    expect(minutes("ar", 5)).toContain("دقائق");
  });

  it("formats the subset as ICU does: quotes, select, # outside plurals", () => {
    expect(formatMessage("en", "It''s '{literal}' {who}", { who: "Ada" })).toBe("It's {literal} Ada");
    expect(formatMessage("en", "{k, select, a {A} other {O}}", { k: "a" })).toBe("A");
    expect(formatMessage("en", "# {n, plural, =0 {none} other {# left}}", { n: 0 })).toBe("# none");
    expect(() => formatMessage("en", "{n, plural, one {x}}", { n: 1 })).toThrow(SyntaxError);
  });
});

describe("system lines per reader", () => {
  const samples: SystemLine[] = (Object.keys(SYSTEM_LINES_EN) as (keyof typeof SYSTEM_LINES_EN)[]).flatMap((key): SystemLine[] =>
    key === "cobrowseEnded"
      ? (Object.keys(COBROWSE_END_REASONS) as string[]).map((reason) => ({ key, params: { reason, reasonName: "Lisa" } }))
      : [{ key, params: { name: "Lisa", owner: "Omar", to: "Ravi", from: "Lisa", patron: "Ada", librarian: "Lisa", host: "library.test", minutes: 30 } }],
  );

  it("every line the chat can store, and every reason co-browsing ends, has its message", () => {
    for (const key of Object.keys(SYSTEM_LINES_EN)) expect(CATALOGS.en, key).toHaveProperty([`system.${key}`]);
    for (const reason of Object.keys(COBROWSE_END_REASONS)) expect(CATALOGS.en, reason).toHaveProperty([`system.reason.${reason}`]);
  });

  it("English readers read exactly the line the chat stored", () => {
    for (const line of samples) expect(messageText(lookupIn("en"), { kind: "system", body: systemLineText(line), line })).toBe(systemLineText(line));
  });

  it("Spanish, French and Arabic readers read the same line in their language, with its names", () => {
    for (const language of ["es", "fr", "ar"] as const) {
      for (const line of samples) {
        const text = messageText(lookupIn(language), { kind: "system", body: systemLineText(line), line });
        expect(text, `${language} ${line.key}`).not.toBe(systemLineText(line));
        if (line.key === "joined") expect(text).toContain("Lisa");
      }
    }
    expect(messageText(lookupIn("es"), { kind: "system", body: "Lisa has joined the chat.", line: { key: "joined", params: { name: "Lisa" } } })).toBe("Lisa se ha unido al chat.");
  });

  it("a line stored without a key keeps its text", () => {
    expect(messageText(lookupIn("es"), { kind: "system", body: "Something happened." })).toBe("Something happened.");
  });
});

describe("the chat's language after it started", () => {
  it("follows the patron's switch to a language the form offers; refuses others and strangers, changing nothing", async () => {
    const staffed = await staffedLibrary(1);
    await env.DB.prepare("UPDATE forms SET languages = '[\"en\",\"fr\"]' WHERE id = ?").bind(staffed.formId).run();
    const chat = await startChat(staffed.formId, { language: "en" });
    const stored = async () => (await env.DB.prepare("SELECT language FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ language: string }>())?.language;
    const switchTo = (language: string, token = chat.token) => call(`/api/chats/${chat.sessionId}/language`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, json: { language } });
    const refused = await switchTo("es");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "validation_failed", field: "language" });
    expect((await switchTo("fr", "not-the-token-of-this-chat-at-all")).status).toBe(401);
    expect(await stored()).toBe("en");
    expect((await switchTo("fr")).status).toBe(200);
    expect(await stored()).toBe("fr");
    // The librarian sees it in patron details, by the language's own name.
    const details = (await (await call(`/api/chats/${chat.sessionId}/details`, { cookie: staffed.cookies[0] })).json()) as { language: { tag: string; name: string } };
    expect(details.language).toEqual({ tag: "fr", name: "Français" });
  });
});

describe("mails in the chat's language", () => {
  it("writes a Spanish chat's transcript mail in Spanish: subject, wording, system lines, date", async () => {
    const staffed = await staffedLibrary(1);
    await env.DB.prepare("UPDATE forms SET languages = '[\"en\",\"es\"]' WHERE id = ?").bind(staffed.formId).run();
    await env.DB.prepare("UPDATE libraries SET name = 'Springfield Public Library' WHERE id = ?").bind(staffed.library.id).run();
    const chat = await startChat(staffed.formId, { name: "Ana", email: "ana@patron.test", language: "es" });
    expect(chat.res.status).toBe(201);
    expect((await env.DB.prepare("SELECT language FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ language: string }>())?.language).toBe("es");
    expect((await accept(chat.sessionId, staffed.cookies[0])).status).toBe(200);
    expect((await endChat(chat.sessionId, staffed.cookies[0], { resolution: "answered" })).status).toBe(200);
    const mail = await PostalMime.parse(String((await mailReaches(transcriptMailKey(chat.sessionId), "sent")).raw_message));
    const date = new Intl.DateTimeFormat("es", { timeZone: "UTC", dateStyle: "long" }).format(Date.now());
    expect(mail.subject).toBe(`Su chat con Springfield Public Library del ${date}`);
    expect(mail.text).toContain("Hola, Ana:");
    expect(mail.text).toContain("Gracias por chatear con Springfield Public Library.");
    expect(mail.text).toContain("Librarian 1 se ha unido al chat.");
    expect(mail.text).toContain("--- Transcripción ---");
    expect(mail.html).toContain('<html lang="es">');
    // Its rating link opens the rating page in Spanish too.
    const token = /\/rate\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1];
    expect(token, "the rating link").toBeTruthy();
    const rating = await (await call(`/rate/${token}`, { headers: { Accept: "text/html" } })).text();
    expect(rating).toContain('<html lang="es">');
    expect(rating).toContain(CATALOGS.es["rating.heading"]);
    expect(rating).toContain(translate("es", "rating.intro", { library: "Springfield Public Library" }));
  });

  it("keeps English for a chat whose form does not offer the language asked for", async () => {
    const staffed = await staffedLibrary(1);
    const chat = await startChat(staffed.formId, { language: "es" });
    expect((await env.DB.prepare("SELECT language FROM chat_sessions WHERE id = ?").bind(chat.sessionId).first<{ language: string }>())?.language).toBe("en");
  });
});
