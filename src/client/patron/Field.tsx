/**
 * One labelled input for the patron's forms (the Qwidget's request form, leave
 * your question, rating, transcript address): its help and its error are tied
 * to it with aria-describedby, and an error marks it invalid.
 */
import type { JSX } from "preact";
import { t } from "../shared/i18n";

export interface FieldProps {
  id: string;
  label: string;
  kind?: "text" | "email" | "textarea" | "select";
  /** Say "(optional)" after the label. */
  optional?: boolean;
  help?: string;
  error?: string | null;
  /** Choices of a select (each also the answer sent), and their words in the patron's language when the form gives them. */
  options?: string[];
  optionLabels?: string[];
  name?: string;
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
  value?: string;
  onInput?: JSX.GenericEventHandler<HTMLInputElement>;
}

export function Field({ id, label, kind = "text", optional, help, error, options, optionLabels, ...control }: FieldProps) {
  const attrs = {
    id,
    ...control,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": [error && `${id}-error`, help && `${id}-help`].filter(Boolean).join(" ") || undefined,
  };
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>
        {label}
        {optional ? <span class="optional"> {t("form.optional")}</span> : null}
      </label>
      {help ? (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {kind === "select" ? (
        <select {...(attrs as JSX.HTMLAttributes<HTMLSelectElement>)}>
          <option value="">{t("form.choose")}</option>
          {options?.map((o, i) => (
            <option key={o} value={o}>
              {optionLabels?.[i] ?? o}
            </option>
          ))}
        </select>
      ) : kind === "textarea" ? (
        <textarea rows={3} {...(attrs as JSX.HTMLAttributes<HTMLTextAreaElement>)} />
      ) : (
        <input type={kind} {...attrs} />
      )}
    </div>
  );
}
