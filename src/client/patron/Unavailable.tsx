/**
 * When no librarian can chat: the library's message and alternatives, and
 * "leave your question by e-mail", which files it for follow-up.
 */
import { useState } from "preact/hooks";
import type { Alternatives } from "../../shared/api";
import { Field } from "./Field";
import { t } from "../shared/i18n";
import { patronPost } from "./patron-api";

export interface UnavailableProps {
  sessionId: string;
  token: string;
  origin: string;
  alternatives: Alternatives;
  /** Heading level for this section's headings. */
  heading: "h2" | "h3";
}

export function Unavailable({ sessionId, token, origin, alternatives: alt, heading: H }: UnavailableProps) {
  const [state, setState] = useState<"form" | "sending" | "sent">("form");
  /** The server's confirmation, shown once the question is filed. */
  const [confirmation, setConfirmation] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    setState("sending");
    const res = await patronPost<{ message: string }>(origin, `/api/chats/${sessionId}/leave-question`, { email: data.get("email"), details: data.get("details") || undefined }, token);
    if (res.ok) return setConfirmation(res.data.message), setState("sent");
    setError(res.error);
    setState("form");
  };
  return (
    <div class="unavailable">
      <p>{alt.message}</p>
      <H>{t("alternatives.heading")}</H>
      <ul>
        {alt.email ? (
          <li>
            {t("alternatives.email")} <a href={`mailto:${alt.email}`}>{alt.email}</a>
          </li>
        ) : null}
        {alt.phone ? (
          <li>
            {t("alternatives.phone")} {alt.phone}
          </li>
        ) : null}
        {alt.hours ? (
          <li>
            {t("alternatives.hours")} {alt.hours}
          </li>
        ) : null}
        {alt.links.map((l) => (
          <li key={l.url}>
            <a href={l.url} target="_blank" rel="noopener noreferrer">
              {l.label}
            </a>
          </li>
        ))}
      </ul>
      {state === "sent" ? (
        <p class="confirmation" role="status">
          {confirmation}
        </p>
      ) : (
        <form class="stack" onSubmit={submit} noValidate>
          <H>{t("unavailable.leaveHeading")}</H>
          {error && error.field !== "email" && error.field !== "details" ? (
            <p class="form-error" role="alert">
              {error.message}
            </p>
          ) : null}
          <Field id="leave-email" label={t("unavailable.email")} kind="email" name="email" required autoComplete="email" error={error?.field === "email" ? error.message : null} />
          <Field id="leave-details" label={t("unavailable.details")} kind="textarea" name="details" optional error={error?.field === "details" ? t("problem.check", { label: t("unavailable.details") }) : null} />
          <button type="submit" class="primary" disabled={state === "sending"}>
            {t("unavailable.send")}
          </button>
        </form>
      )}
    </div>
  );
}
