/**
 * A form of one text box and its button, as the question page writes the
 * follow-up answer and internal notes: an empty box is refused with a message
 * at the box, the button is disabled while the text is on its way, a refusal
 * is shown at the box with the text kept, and the box empties once it went through.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export interface TextBoxFormProps {
  /** Element ids: `${id}-body` (the box), `${id}-help`, `${id}-error`. */
  id: string;
  label: ComponentChildren;
  help?: ComponentChildren;
  rows: number;
  maxLength: number;
  /** Said when the box is empty. */
  emptyMessage: string;
  submit: { label: string; busyLabel: string; primary?: boolean };
  /** Sends the text: the refusal's message, or null when it went through. */
  send: (body: string) => Promise<string | null>;
}

export function TextBoxForm({ id, label, help, rows, maxLength, emptyMessage, submit, send }: TextBoxFormProps) {
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) {
      setError(emptyMessage);
      return;
    }
    setError(null);
    setBusy(true);
    const refused = await send(body);
    setBusy(false);
    if (refused) {
      setError(refused);
      return;
    }
    setBody("");
  };

  return (
    <form onSubmit={onSubmit} noValidate class="stack">
      <div class="field">
        <label for={`${id}-body`}>{label}</label>
        {help ? (
          <p class="help" id={`${id}-help`}>
            {help}
          </p>
        ) : null}
        {error ? (
          <p class="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : null}
        <textarea
          id={`${id}-body`}
          rows={rows}
          maxLength={maxLength}
          value={body}
          onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
          aria-describedby={[help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <button type="submit" class={submit.primary ? "primary" : undefined} disabled={busy}>
        {busy ? submit.busyLabel : submit.label}
      </button>
    </form>
  );
}
