/**
 * /admin/forms/:id — the form builder: fields (and whether each is required;
 * the question always stays), wording, colour, logo, the queue fed, the chat
 * method, on/off; what the patron is asked after the chat; a live preview; the
 * form URL and Qwidget embed to copy.
 */
import { useEffect, useState } from "preact/hooks";
import { CHAT_METHODS, LOGO_RULES } from "../../shared/admin-limits";
import type { AdminBootstrap, FormRow, QueueChoice } from "../../shared/admin-views";
import { brandColorProblem } from "../../shared/color";
import type { FormField } from "../../shared/forms";
import { DEFAULT_EMAIL_FIELD, DEFAULT_NAME_FIELD } from "../../shared/form-layout";
import { api, upload } from "./api";
import { FormPreview } from "./FormPreview";
import { SurveyEditor } from "./SurveyEditor";
import { FormLanguages, type LanguageDraft } from "./FormLanguages";
import { AdminLayout } from "./layout";
import { ChoiceField, CopyBox, describe, ErrorSummary, errorsFrom, Field, FieldError, inputChecked, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

const BUILT_IN = new Set(["question", "name", "email"]);
const KIND_LABELS = { text: "Short text", email: "E-mail address", textarea: "Long text", select: "Choice from a list" } as const;
const METHOD_LABELS = { chat: "Plain chat", viewport: "Chat with viewport (pages the librarian pushes open beside the chat)" } as const;

interface Draft extends LanguageDraft {
  title: string;
  intro: string;
  queueId: string;
  chatMethod: (typeof CHAT_METHODS)[number];
  brandColor: string;
  enabled: boolean;
  fields: FormField[];
}

function draftOf(f: FormRow): Draft {
  return {
    title: f.title,
    intro: f.intro ?? "",
    queueId: f.queueId,
    chatMethod: f.chatMethod,
    brandColor: f.brandColor ?? "",
    enabled: f.enabled,
    fields: f.fields,
    languages: f.languages,
    defaultLanguage: f.defaultLanguage,
    translations: f.translations,
  };
}

/** Choices as saved: trimmed, no blanks. */
function cleanOptions(options: string[] | undefined): string[] {
  return (options ?? []).map((o) => o.trim()).filter(Boolean);
}

/** The fields as the server takes them: choices only for lists, no empty help. */
function fieldsToSave(fields: FormField[]): FormField[] {
  return fields.map(({ options, help, ...f }) => ({ ...f, ...(f.kind === "select" ? { options: cleanOptions(options) } : {}), ...(help?.trim() ? { help } : {}) }));
}

function nextFieldId(fields: FormField[]): string {
  for (let n = 1; ; n++) if (!fields.some((f) => f.id === `field-${n}`)) return `field-${n}`;
}

export function FormEditorPage({ boot }: { boot: AdminBootstrap }) {
  const formId = boot.params.formId!;
  const [form, setForm] = useState<FormRow | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [queues, setQueues] = useState<QueueChoice[]>([]);
  const [library, setLibrary] = useState<{ name: string; brandColor: string; allowedOrigins: string[] } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, say] = useStatus();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void api<{ form: FormRow; queues: QueueChoice[]; library: { name: string; brandColor: string; allowedOrigins: string[] } | null }>(`/api/admin/forms/${formId}`).then((r) => {
      if (!r.ok) return say(r.error.message);
      setForm(r.data.form);
      setDraft(draftOf(r.data.form));
      setQueues(r.data.queues);
      setLibrary(r.data.library);
    });
  }, []);

  if (!form || !draft) return <AdminLayout boot={boot} title="Edit chat form"><p class="loading">Loading…</p></AdminLayout>;

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setField = (i: number, patch: Partial<FormField>) => set({ fields: draft.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const move = (i: number, by: -1 | 1) => {
    const fields = [...draft.fields];
    const [f] = fields.splice(i, 1);
    fields.splice(i + by, 0, f!);
    set({ fields });
    say(`Moved “${f!.label}” ${by < 0 ? "up" : "down"}.`);
  };
  const remove = (i: number) => {
    say(`Removed “${draft.fields[i]!.label}”. Save to keep the change.`);
    set({ fields: draft.fields.filter((_, j) => j !== i) });
  };
  const add = (f: FormField) => {
    set({ fields: [...draft.fields, f] });
    say(`Added “${f.label}” at the end.`);
    // Keyboard users land on the new field's label, ready to type.
    const index = draft.fields.length;
    setTimeout(() => (document.getElementById(`fld-fields-${index}-label`) as HTMLInputElement | null)?.select(), 0);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!draft.title.trim()) found.title = "Give the form a title";
    if (draft.brandColor) {
      const problem = brandColorProblem(draft.brandColor);
      if (problem) found.brandColor = problem;
    }
    draft.fields.forEach((f, i) => {
      if (!f.label.trim()) found[`fields.${i}.label`] = `Field ${i + 1} needs a label`;
      if (f.kind === "select" && !cleanOptions(f.options).length) found[`fields.${i}.options`] = `“${f.label}” needs at least one choice`;
    });
    setErrors(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    const body = { ...draft, fields: fieldsToSave(draft.fields), intro: draft.intro || null, brandColor: draft.brandColor || null };
    const r = await api<{ form: FormRow }>(`/api/admin/forms/${formId}`, { method: "PUT", body });
    setSaving(false);
    if (!r.ok) return setErrors(errorsFrom(r.error));
    setForm(r.data.form);
    setDraft(draftOf(r.data.form));
    say("Saved. The hosted form and the Qwidget show the changes now.");
  };

  const uploadLogo = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return setErrors({ logo: "Choose an image file first" });
    if (file.size > LOGO_RULES.maxBytes) return setErrors({ logo: `The logo is too large: at most ${LOGO_RULES.maxBytes / 1024} KB` });
    const r = await upload<{ form: FormRow }>(`/api/admin/forms/${formId}/logo`, file);
    if (!r.ok) return setErrors(errorsFrom(r.error));
    setErrors({});
    setForm(r.data.form);
    input.value = "";
    say("Logo uploaded.");
  };
  const removeLogo = async () => {
    const r = await api<{ form: FormRow }>(`/api/admin/forms/${formId}/logo`, { method: "DELETE" });
    if (r.ok) {
      setForm(r.data.form);
      say("Logo removed.");
    }
  };

  const missing = (id: string) => !draft.fields.some((f) => f.id === id);
  const libraryId = form.libraryId ?? undefined;

  return (
    <AdminLayout boot={boot} title={`Edit chat form: ${form.title}`} libraryId={libraryId}>
      <StatusLine text={status} />
      <div class="editor-layout">
        <div class="editor-main">
          <section aria-labelledby="share-heading">
            <h2 id="share-heading">Link and embed</h2>
            <CopyBox id="copy-url" label="Form URL (link to it from your site)" value={form.formUrl} />
            <CopyBox id="copy-embed" label="Qwidget embed code (paste into any page)" value={form.embedCode} multiline />
            <p class="help">
              The Qwidget works only on sites your library allows: {library?.allowedOrigins.length ? library.allowedOrigins.join(", ") : "none yet"}.{" "}
              {libraryId ? <a href={`/admin/libraries/${libraryId}/settings#fld-allowedOrigins`}>Change allowed sites</a> : null}
            </p>
            <p>
              <a href={`/f/${form.id}`} target="_blank" rel="noopener">
                Open the hosted form (new window)
              </a>
            </p>
          </section>

          <form class="stack" onSubmit={save} noValidate aria-labelledby="settings-heading">
            <h2 id="settings-heading">Form settings</h2>
            <ErrorSummary errors={errors} />
            <Field path="title" label="Title" errors={errors}>
              <input type="text" value={draft.title} onInput={(e) => set({ title: inputValue(e) })} {...describe("title", errors)} />
            </Field>
            <Field path="intro" label="Introduction" hint="A sentence or two above the fields." errors={errors} optional>
              <textarea rows={2} value={draft.intro} onInput={(e) => set({ intro: inputValue(e) })} {...describe("intro", errors, true)} />
            </Field>
            <ChoiceField path="queueId" label="Queue the form feeds" choices={queues} value={draft.queueId} onChange={(queueId) => set({ queueId })} errors={errors} />
            <fieldset aria-describedby={errors.chatMethod ? "fld-chatMethod-error" : undefined}>
              <legend>Chat method</legend>
              <FieldError path="chatMethod" errors={errors} />
              {CHAT_METHODS.map((m) => (
                <div class="radio" key={m}>
                  <input type="radio" id={`method-${m}`} name="chatMethod" checked={draft.chatMethod === m} onChange={() => set({ chatMethod: m })} />
                  <label for={`method-${m}`}>{METHOD_LABELS[m]}</label>
                </div>
              ))}
            </fieldset>
            <Field path="brandColor" label="Brand colour" hint={`As #rrggbb, dark enough for white text. Leave empty for the library's colour (${library?.brandColor ?? ""}).`} errors={errors} optional>
              <div class="color-row">
                <input type="text" value={draft.brandColor} placeholder={library?.brandColor} spellcheck={false} onInput={(e) => set({ brandColor: inputValue(e).trim() })} {...describe("brandColor", errors, true)} />
                <span class="swatch" aria-hidden="true" style={{ background: draft.brandColor && !brandColorProblem(draft.brandColor) ? draft.brandColor : library?.brandColor }} />
              </div>
            </Field>
            <div class="field checkbox">
              <input type="checkbox" id="fld-enabled" checked={draft.enabled} onChange={(e) => set({ enabled: inputChecked(e) })} aria-describedby="fld-enabled-hint" />
              <label for="fld-enabled">Form is on</label>
            </div>
            <p class="help" id="fld-enabled-hint">
              When off, the link keeps working but tells patrons the form is not taking chats, with your other ways to get help.
            </p>

            <FormLanguages {...draft} title={draft.title} intro={draft.intro} fields={draft.fields} errors={errors} onChange={(patch) => set(patch)} />

            <fieldset class="fields-editor" aria-describedby={errors.fields ? "fld-fields-error" : undefined}>
              <legend>Fields</legend>
              <FieldError path="fields" errors={errors} />
              <ol class="field-list">
                {draft.fields.map((f, i) => (
                  <li key={f.id} class="field-card">
                    <p class="field-card-title">
                      <strong>{f.label || "(no label)"}</strong> · {KIND_LABELS[f.kind]}
                      {f.id === "question" ? " · always required" : ""}
                    </p>
                    <Field path={`fields.${i}.label`} label={<>Label<span class="visually-hidden"> of field {i + 1}</span></>} errors={errors}>
                      <input type="text" value={f.label} onInput={(e) => setField(i, { label: inputValue(e) })} {...describe(`fields.${i}.label`, errors)} />
                    </Field>
                    {!BUILT_IN.has(f.id) ? (
                      <Field path={`fields.${i}.kind`} label={<>Kind<span class="visually-hidden"> of field {i + 1}</span></>} errors={errors}>
                        <select value={f.kind} onChange={(e) => setField(i, { kind: inputValue(e) as FormField["kind"] })} {...describe(`fields.${i}.kind`, errors)}>
                          {(["text", "textarea", "select"] as const).map((k) => (
                            <option key={k} value={k}>
                              {KIND_LABELS[k]}
                            </option>
                          ))}
                        </select>
                      </Field>
                    ) : null}
                    {f.kind === "select" ? (
                      <Field path={`fields.${i}.options`} label={<>Choices, one per line<span class="visually-hidden"> for field {i + 1}</span></>} errors={errors}>
                        <textarea
                          rows={4}
                          value={(f.options ?? []).join("\n")}
                          // Kept as typed (blank lines too) while editing; cleaned when saved.
                          onInput={(e) => setField(i, { options: inputValue(e).split("\n") })}
                          {...describe(`fields.${i}.options`, errors)}
                        />
                      </Field>
                    ) : null}
                    <Field path={`fields.${i}.help`} label={<>Help text<span class="visually-hidden"> for field {i + 1}</span></>} errors={errors} optional>
                      <input type="text" value={f.help ?? ""} onInput={(e) => setField(i, { help: inputValue(e) || undefined })} {...describe(`fields.${i}.help`, errors)} />
                    </Field>
                    <div class="field checkbox">
                      <input type="checkbox" id={`fld-fields-${i}-required`} checked={f.required} disabled={f.id === "question"} onChange={(e) => setField(i, { required: inputChecked(e) })} />
                      <label for={`fld-fields-${i}-required`}>
                        Required<span class="visually-hidden"> ({f.label})</span>
                      </label>
                    </div>
                    <div class="button-row">
                      <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
                        Move up<span class="visually-hidden"> {f.label}</span>
                      </button>
                      <button type="button" disabled={i === draft.fields.length - 1} onClick={() => move(i, 1)}>
                        Move down<span class="visually-hidden"> {f.label}</span>
                      </button>
                      {f.id !== "question" ? (
                        <button type="button" class="danger" onClick={() => remove(i)}>
                          Remove<span class="visually-hidden"> {f.label}</span>
                        </button>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ol>
              <div class="button-row">
                <button type="button" onClick={() => add({ id: nextFieldId(draft.fields), label: "New field", kind: "text", required: false })}>
                  Add a field
                </button>
                {missing("name") ? (
                  <button type="button" onClick={() => add(DEFAULT_NAME_FIELD)}>
                    Add the name field
                  </button>
                ) : null}
                {missing("email") ? (
                  <button type="button" onClick={() => add(DEFAULT_EMAIL_FIELD)}>
                    Add the e-mail field
                  </button>
                ) : null}
              </div>
            </fieldset>
            <button type="submit" class="primary" disabled={saving}>
              {saving ? "Saving…" : "Save form"}
            </button>
          </form>

          <SurveyEditor formId={formId} />

          <section aria-labelledby="logo-heading" class="stack">
            <h2 id="logo-heading">Logo</h2>
            {form.logoUrl ? <img src={form.logoUrl} alt="Current logo" class="logo-current" height={48} /> : <p>No logo: the form shows the library's name.</p>}
            <Field path="logo" label="Upload a logo" hint={`PNG, JPEG, GIF or WebP, at most ${LOGO_RULES.maxBytes / 1024} KB. It appears on the form's coloured bar.`} errors={errors}>
              <input type="file" accept={LOGO_RULES.types.join(",")} {...describe("logo", errors, true)} />
            </Field>
            <div class="button-row">
              <button type="button" onClick={() => uploadLogo(document.getElementById("fld-logo") as HTMLInputElement)}>
                Upload logo
              </button>
              {form.logoUrl ? (
                <button type="button" class="danger" onClick={removeLogo}>
                  Remove logo
                </button>
              ) : null}
            </div>
          </section>
        </div>
        <FormPreview title={draft.title} intro={draft.intro} fields={draft.fields} brandColor={draft.brandColor || library?.brandColor || "#1d4ed8"} logoUrl={form.logoUrl} libraryName={library?.name ?? ""} />
      </div>
    </AdminLayout>
  );
}
