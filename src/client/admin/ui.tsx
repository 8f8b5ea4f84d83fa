/**
 * Building blocks of the accessible admin forms: a labelled field whose hint
 * and error are tied to the control (aria-describedby, aria-invalid), an error
 * summary that takes focus and links to each field, and a polite status line.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiFailure } from "./api";

export type FieldErrors = Record<string, string>;

/** The id of the control for an API field path, e.g. "fields.1.label" → "fld-fields-1-label". */
export function fieldId(path: string): string {
  return `fld-${path.replace(/[^a-zA-Z0-9_-]+/g, "-")}`;
}

/** Props that tie a control to its hint and error. */
export function describe(path: string, errors: FieldErrors, hint?: boolean) {
  const ids = [hint ? `${fieldId(path)}-hint` : "", errors[path] ? `${fieldId(path)}-error` : ""].filter(Boolean).join(" ");
  return { id: fieldId(path), "aria-describedby": ids || undefined, "aria-invalid": errors[path] ? ("true" as const) : undefined };
}

export function Field(props: { path: string; label: ComponentChildren; hint?: ComponentChildren; errors: FieldErrors; children: ComponentChildren; optional?: boolean }) {
  const id = fieldId(props.path);
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.optional ? <span class="optional"> (optional)</span> : null}
      </label>
      {props.hint ? (
        <p class="help" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError path={props.path} errors={props.errors} />
      {props.children}
    </div>
  );
}

/** A labelled choice among named things (queues, libraries); its value is the chosen one's id. */
export function ChoiceField(props: { path: string; label: string; choices: { id: string; name: string }[]; value: string; onChange: (id: string) => void; errors: FieldErrors }) {
  return (
    <Field path={props.path} label={props.label} errors={props.errors}>
      <select value={props.value} onChange={(e) => props.onChange(inputValue(e))} {...describe(props.path, props.errors)}>
        {props.choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function FieldError({ path, errors }: { path: string; errors: FieldErrors }) {
  return errors[path] ? (
    <p class="field-error" id={`${fieldId(path)}-error`}>
      {errors[path]}
    </p>
  ) : null;
}

/** Shows every problem at the top of a form, takes focus so it is announced, links to each field. */
export function ErrorSummary({ errors, fields }: { errors: FieldErrors; fields?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [JSON.stringify(errors)]);
  if (!entries.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2 class="error-title">There is a problem</h2>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            {path === "form" || !document.getElementById(fieldId(path)) ? (
              <span>{fields?.[path] ? `${fields[path]}: ` : ""}{message}</span>
            ) : (
              <a href={`#${fieldId(path)}`}>{message}</a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A failed call as field errors: under its field when the server named one, else for the whole form. */
export function errorsFrom(failure: ApiFailure): FieldErrors {
  const message = failure.field && failure.message.startsWith(`${failure.field}: `) ? failure.message.slice(failure.field.length + 2) : failure.message;
  return { [failure.field ?? "form"]: message };
}

/** A polite live region for "Saved." and similar news. */
export function useStatus(): [string, (text: string) => void] {
  const [text, setText] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const say = (t: string) => {
    setText(t);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setText(""), 8000);
  };
  return [text, say];
}

export function StatusLine({ text }: { text: string }) {
  return (
    <p class="status-line" role="status" aria-live="polite">
      {text}
    </p>
  );
}

export function formatTime(at: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at);
}

export function inputValue(e: Event): string {
  return (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
}

export function inputChecked(e: Event): boolean {
  return (e.target as HTMLInputElement).checked;
}

/** A read-only box with a Copy button: for the form URL and the embed code. */
export function CopyBox({ id, label, value, multiline }: { id: string; label: string; value: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const el = document.getElementById(id) as HTMLInputElement | null;
      el?.select();
      document.execCommand("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 3000);
  };
  return (
    <div class="field copy-box">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline ? <textarea id={id} readOnly rows={3} value={value} onFocus={(e) => (e.target as HTMLTextAreaElement).select()} /> : <input id={id} type="text" readOnly value={value} onFocus={(e) => (e.target as HTMLInputElement).select()} />}
        <button type="button" onClick={copy} aria-describedby={`${id}-copied`}>
          Copy
        </button>
      </div>
      <p id={`${id}-copied`} class="help" role="status" aria-live="polite">
        {copied ? "Copied." : ""}
      </p>
    </div>
  );
}
