/**
 * "Send me the transcript", during the chat: a checkbox when the patron gave an
 * address, otherwise a disclosure that asks for one. The server confirms each change.
 */
import { useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import type { TranscriptChoice as Choice } from "../../shared/protocol";
import { Field } from "./Field";
import { t } from "../shared/i18n";

export function TranscriptChoice({ choice, onChange }: { choice: Choice | null; onChange: (send: boolean, email?: string) => void }) {
  const [email, setEmail] = useState("");
  if (!choice) return null;
  if (choice.email) {
    return (
      <div class="field checkbox transcript-choice">
        <input id="transcript-send" type="checkbox" checked={choice.send} onChange={(e) => onChange(e.currentTarget.checked)} />
        <label for="transcript-send">{t("transcriptChoice.sendTo", { email: choice.email })}</label>
      </div>
    );
  }
  return (
    <details class="transcript-choice">
      <summary>{t("transcriptChoice.ask")}</summary>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (email.trim()) onChange(true, email.trim());
        }}
      >
        <Field
          id="transcript-email"
          label={t("transcriptChoice.address")}
          kind="email"
          autoComplete="email"
          maxLength={LIMITS.emailChars}
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <button type="submit">{t("transcriptChoice.send")}</button>
      </form>
    </details>
  );
}
