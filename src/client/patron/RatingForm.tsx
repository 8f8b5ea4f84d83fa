/**
 * After the chat: what the chat's form asks (src/shared/survey.ts) — a
 * rating, a rating and a comment, or a rating and the library's own short
 * survey — stored with the session for the library. Nothing when the form
 * asks for no feedback. A problem is shown at its question.
 */
import { useEffect, useState } from "preact/hooks";
import { LIMITS, RATING } from "../../shared/limits";
import type { SurveyConfig } from "../../shared/survey";
import { Field } from "./Field";
import { t } from "../shared/i18n";
import { patronPost, type PatronFailure } from "./patron-api";

export interface RatingFormProps {
  sessionId: string;
  token: string;
  origin: string;
  heading: "h2" | "h3";
}

const SCALE = Array.from({ length: RATING.highest - RATING.lowest + 1 }, (_, i) => RATING.lowest + i);

/** Radio buttons in a fieldset: the 1–5 scale, or a choice's options. */
function Choices({ name, legend, values, error }: { name: string; legend: string; values: (string | number)[]; error?: string }) {
  // The overall rating keeps the ids it always had ("rating-error").
  const id = name === "rating" ? "rating" : `rate-${name.replace(".", "-")}`;
  return (
    <fieldset id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      <div class="rating-scale">
        {values.map((v) => (
          <label class="rating-option" key={v}>
            <input type="radio" name={name} value={v} /> {v}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function RatingForm({ sessionId, token, origin, heading: H }: RatingFormProps) {
  const [survey, setSurvey] = useState<SurveyConfig | null>(null);
  const [state, setState] = useState<"form" | "sending" | "sent">("form");
  const [error, setError] = useState<PatronFailure | null>(null);
  /** The server's thanks, shown once the rating is stored. */
  const [thanks, setThanks] = useState("");
  useEffect(() => {
    fetch(new URL(`/api/chats/${sessionId}/survey`, origin), { headers: { Authorization: `Bearer ${token}` } })
      .then((r) => r.json() as Promise<{ survey?: SurveyConfig }>)
      .then((j) => setSurvey(j.survey ?? { mode: "rating_comment", questions: [] }))
      .catch(() => setSurvey({ mode: "rating_comment", questions: [] }));
  }, [sessionId]);
  if (!survey || survey.mode === "off") return null;

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const rating = Number(data.get("rating"));
    if (!rating) return setError({ field: "rating", message: t("rating.choose", { lowest: RATING.lowest, highest: RATING.highest }) });
    const answers: Record<string, string | number> = {};
    for (const q of survey.questions) {
      const v = String(data.get(`answers.${q.id}`) ?? "").trim();
      if (v) answers[q.id] = q.kind === "scale" ? Number(v) : v;
    }
    setState("sending");
    const res = await patronPost<{ message: string }>(origin, `/api/chats/${sessionId}/rating`, { rating, comment: data.get("comment") || undefined, answers }, token);
    if (res.ok) return setThanks(res.data.message), setState("sent");
    // A problem at one of the answers is shown there; the words are the catalog's, never the server's.
    const unanswered = survey.questions.find((q) => q.required && `answers.${q.id}` === res.error.field && !(q.id in answers));
    setError(res.error.field ? { ...res.error, message: unanswered ? t("rating.answerRequired", { question: unanswered.text }) : t("rating.problem") } : res.error);
    setState("form");
  };
  if (state === "sent") {
    return (
      <p class="confirmation" role="status">
        {thanks}
      </p>
    );
  }
  const errorAt = (field: string) => (error?.field === field ? error.message : undefined);
  return (
    <form class="rating stack" onSubmit={submit} noValidate aria-labelledby="rating-title">
      <H id="rating-title">{t("rating.heading")}</H>
      {error && !error.field ? <p class="form-error">{error.message}</p> : null}
      <Choices name="rating" legend={t("rating.scale", { lowest: RATING.lowest, highest: RATING.highest })} values={SCALE} error={errorAt("rating")} />
      {survey.mode === "rating_comment" ? <Field id="rating-comment" label={t("rating.comment")} kind="textarea" name="comment" optional maxLength={LIMITS.ratingCommentChars} error={errorAt("comment")} /> : null}
      {survey.questions.map((q) => {
        const name = `answers.${q.id}`;
        const legend = q.required ? q.text : `${q.text} ${t("form.optional")}`;
        if (q.kind === "text") return <Field key={q.id} id={`rate-${q.id}`} label={q.text} kind="textarea" name={name} optional={!q.required} maxLength={LIMITS.ratingCommentChars} error={errorAt(name)} />;
        return <Choices key={q.id} name={name} legend={legend} values={q.kind === "scale" ? SCALE : q.options} error={errorAt(name)} />;
      })}
      <button type="submit" class="primary" disabled={state === "sending"}>
        {t("rating.send")}
      </button>
    </form>
  );
}
