/**
 * A choice field's options per language: the form builder keeps them with
 * the form's other texts per language; the hosted form and the Qwidget show
 * them in the patron's language, an option not given in it in the default
 * language's words (never empty); the answer sent and stored is the default
 * language's option whatever the patron read.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { translate } from "../../src/i18n/catalog";
import { localizeField } from "../../src/shared/form-translations";
import type { FormField } from "../../src/shared/forms";
import { admin, expectError, json, signedIn } from "./admin-helpers";
import { call, createLibrary, monitorQueue, createLibrarian, signIn } from "./helpers";
import { elements, postChat } from "./patron-helpers";

const CHOICE: FormField = { id: "patron-type", label: "I am a…", kind: "select", required: true, options: ["Student", "Faculty", "Visitor"] };

/** A form made in the form builder, offering English (default), Spanish and Arabic, with the patron type's options in Spanish (one left empty). */
async function builtForm() {
  const library = await createLibrary({ name: "Biblioteca Oak Park" });
  const boss = await signedIn(library.id, "library_admin");
  const body = {
    title: "Ask us",
    intro: "We answer fast.",
    fields: [{ id: "question", label: "Your question", kind: "textarea", required: true }, CHOICE],
    queueId: library.queueId,
    chatMethod: "chat",
    enabled: true,
  };
  const created = await admin(`/libraries/${library.id}/forms`, boss.cookie, { method: "POST", json: body });
  expect(created.status).toBe(201);
  const formId = (await json<{ form: { id: string } }>(created)).form.id;
  const put = (extra: Record<string, unknown>) => admin(`/forms/${formId}`, boss.cookie, { method: "PUT", json: { ...body, languages: ["en", "es", "ar"], defaultLanguage: "en", ...extra } });
  const saved = await put({ translations: { es: { fields: { "patron-type": { label: "Soy…", options: ["Estudiante", "", "  Visitante "] } } }, ar: { fields: { "patron-type": { options: ["", ""] } } } } });
  expect(saved.status, await saved.clone().text()).toBe(200);
  // Someone must be monitoring for the chat to wait rather than be unavailable.
  await monitorQueue(library.queueId, await signIn(await createLibrarian(library.id, "Ana")));
  return { formId, put, saved: await json<{ form: { translations: unknown } }>(saved) };
}

/** The patron type's options as the hosted form shows them in `language`: [value, text] (an option without a value attribute sends its text). */
async function hostedOptions(formId: string, language: string): Promise<[string, string][]> {
  const res = await call(`/f/${formId}?lang=${language}`);
  expect(res.status).toBe(200);
  return (await elements(await res.text(), "#f-patron-type option")).filter((o) => o.attrs.value !== "").map((o) => [o.attrs.value ?? o.text, o.text]);
}

describe("a choice field's options per language", () => {
  it("the form builder keeps them with the form's texts per language, trimmed; an over-long option is refused and changes nothing", async () => {
    const { formId, put, saved } = await builtForm();
    expect(saved.form.translations).toMatchObject({ es: { fields: { "patron-type": { label: "Soy…", options: ["Estudiante", "", "Visitante"] } } } });
    const before = await env.DB.prepare("SELECT translations FROM forms WHERE id = ?").bind(formId).first();
    await expectError(await put({ translations: { es: { fields: { "patron-type": { options: ["x".repeat(121)] } } } } }), 400);
    expect(await env.DB.prepare("SELECT translations FROM forms WHERE id = ?").bind(formId).first()).toEqual(before);
  });

  it("the hosted form shows them in the patron's language, the default's where one is left empty; the value stays the default's", async () => {
    const { formId } = await builtForm();
    expect(await hostedOptions(formId, "es")).toEqual([
      ["Student", "Estudiante"],
      ["Faculty", "Faculty"],
      ["Visitor", "Visitante"],
    ]);
    // Arabic left every option empty: the default language's words, never an empty option.
    expect(await hostedOptions(formId, "ar")).toEqual([
      ["Student", "Student"],
      ["Faculty", "Faculty"],
      ["Visitor", "Visitor"],
    ]);
    expect(await hostedOptions(formId, "en")).toEqual([
      ["Student", "Student"],
      ["Faculty", "Faculty"],
      ["Visitor", "Visitor"],
    ]);
  });

  it("the Qwidget gets each option's words in the patron's language beside the options it sends, and the chat stores the default's option", async () => {
    const { formId } = await builtForm();
    const fieldIn = async (lang: string) => {
      const status = (await (await call(`/api/embed/status?form=${formId}&lang=${lang}`)).json()) as { form: { fields: FormField[] } };
      return status.form.fields.find((f) => f.id === "patron-type")!;
    };
    expect(await fieldIn("es")).toMatchObject({ label: "Soy…", options: ["Student", "Faculty", "Visitor"], optionLabels: ["Estudiante", "Faculty", "Visitante"] });
    expect((await fieldIn("en")).optionLabels).toBeUndefined();
    expect((await fieldIn("ar")).optionLabels).toBeUndefined();

    const started = await postChat({ formId, question: "¿Dónde están los mapas?", language: "es", fields: { "patron-type": "Student" } });
    expect(started.status, await started.clone().text()).toBe(201);
    const { sessionId } = (await started.json()) as { sessionId: string };
    const row = await env.DB.prepare("SELECT patron_details FROM chat_sessions WHERE id = ?").bind(sessionId).first<{ patron_details: string }>();
    expect(JSON.parse(row!.patron_details)).toEqual({ "patron-type": "Student" });

    // The words shown are not an answer: sending them is refused, in Spanish, at the field.
    const refused = await postChat({ formId, question: "¿Mapas?", language: "es", fields: { "patron-type": "Estudiante" } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: unknown }).error).toEqual({ code: "validation_failed", field: "fields.patron-type", message: translate("es", "problem.chooseOption", { label: "Soy…" }) });
  });

  it("falls back option by option, and adds no words where a language gives none", () => {
    const say = () => "";
    expect(localizeField(CHOICE, { fields: { "patron-type": { options: ["Estudiante"] } } }, say).optionLabels).toEqual(["Estudiante", "Faculty", "Visitor"]);
    expect(localizeField(CHOICE, { fields: { "patron-type": { options: ["", ""] } } }, say)).not.toHaveProperty("optionLabels");
    expect(localizeField(CHOICE, undefined, say)).not.toHaveProperty("optionLabels");
  });
});
