/**
 * Asking from the Qwidget: the question, then what the form asks (its required
 * fields shown; optional ones — name, e-mail with the transcript note, patron
 * type… — folded away). Send starts the chat in place. A refusal is shown at
 * its field in the patron's language, with everything typed kept.
 */
import { useRef, useState } from "preact/hooks";
import type { EmbedStatus } from "../../shared/api";
import type { FormField } from "../../shared/forms";
import { LIMITS } from "../../shared/limits";
import { requestFieldPath } from "../../shared/request-fields";
import { Field } from "../patron/Field";
import { currentLanguage, t } from "../shared/i18n";
import { answerProblemKey, refusalKey } from "../../i18n/refusal-words";
import { patronPost, type PatronFailure } from "../patron/patron-api";
import { browserId, type ChatRecord } from "./chat-record";

export interface StartFormProps {
  status: EmbedStatus;
  origin: string;
  onStarted: (record: ChatRecord) => void;
  /** Loads the chat's part of the catalog, which holds the words for refusals. */
  loadChatWords: () => Promise<void>;
}

/** The question, asked like any other field (its label in the patron's language). */
const QUESTION: FormField = { id: "question", label: "", kind: "textarea", required: true };
/** Where a field's answer goes in the request: `question`, `name`, `email`, or `fields.<id>`. */
const pathOf = (f: FormField) => (f === QUESTION ? "question" : requestFieldPath(f));

function maxLengthOf(f: FormField): number {
  if (f === QUESTION) return LIMITS.questionChars;
  return f.kind === "email" ? LIMITS.emailChars : f.id === "name" ? LIMITS.nameChars : LIMITS.fieldChars;
}

function FormFieldInput({ f, error }: { f: FormField; error: PatronFailure | null }) {
  return (
    <Field
      id={`q-${f.id}`}
      label={f === QUESTION ? t("form.questionLabel") : f.label}
      kind={f.kind}
      optional={!f.required && f !== QUESTION}
      help={f.help}
      error={error?.field === pathOf(f) ? error.message : null}
      options={f.options}
      optionLabels={f.optionLabels}
      name={pathOf(f)}
      required={f.required}
      maxLength={maxLengthOf(f)}
      autoComplete={f.kind === "email" ? "email" : f.id === "name" ? "name" : "off"}
    />
  );
}

export function StartForm({ status, origin, onStarted, loadChatWords }: StartFormProps) {
  const [error, setError] = useState<PatronFailure | null>(null);
  const [sending, setSending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const fields = status.form.fields;
  const shown = [QUESTION, ...fields.filter((f) => f.required)];
  const folded = fields.filter((f) => !f.required);
  // An error about an input on this form is shown at that input; any other above the form.
  const atField = [...shown, ...folded].find((f) => pathOf(f) === error?.field);

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(form.current!);
    const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
    const answers: Record<string, string> = {};
    for (const f of fields) {
      const value = text(pathOf(f));
      if (value && pathOf(f).startsWith("fields.")) answers[f.id] = value;
    }
    setSending(true);
    const res = await patronPost<{ sessionId: string; token: string }>(origin, "/api/chats", {
      formId: status.form.id,
      question: data.get("question"),
      name: text("name"),
      email: text("email"),
      fields: answers,
      noTranscript: data.get("noTranscript") === "on",
      language: currentLanguage(),
      pageUrl: location.href.length <= 2000 ? location.href : undefined,
      browserId: browserId(),
    });
    setSending(false);
    if (res.ok) return onStarted({ sessionId: res.data.sessionId, token: res.data.token, open: true });
    const at = [...shown, ...folded].find((f) => pathOf(f) === res.error.field);
    // A refusal's words come with the chat's part of the catalog; without the service, the first part says so.
    if (res.error.code) await loadChatWords().catch(() => {});
    const message = at ? t(answerProblemKey(at === QUESTION ? "question" : at.kind, text(pathOf(at)), pathOf(at)), { label: at.label }) : res.error.code ? t(refusalKey(res.error)) : res.error.message;
    setError({ ...res.error, message });
    // Take the patron to the problem: the field at fault, or the message.
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>("[aria-invalid], .form-error")?.focus());
  };

  return (
    <form ref={form} class="stack" onSubmit={submit} noValidate>
      {status.form.intro ? <p>{status.form.intro}</p> : null}
      <p class={`note${status.available ? "" : " off"}`}>
        {status.available ? t("form.online") : t("form.offlineWidget", { message: status.alternatives.message })}
      </p>
      {error && !atField ? (
        <p class="form-error" role="alert" tabIndex={-1}>
          {error.message}
        </p>
      ) : null}
      {shown.map((f) => (
        <FormFieldInput key={f.id} f={f} error={error} />
      ))}
      <details open={folded.includes(atField!) || undefined}>
        <summary>{t("form.moreAboutYou")}</summary>
        <div class="stack">
          {folded.map((f) => (
            <FormFieldInput key={f.id} f={f} error={error} />
          ))}
          <div class="checkbox">
            <input id="q-no-transcript" name="noTranscript" type="checkbox" />
            <label for="q-no-transcript">{t("form.noTranscript")}</label>
          </div>
        </div>
      </details>
      <button type="submit" class="primary" disabled={sending}>
        {t(sending ? "form.sending" : "form.send")}
      </button>
    </form>
  );
}
