/** After the chat: a short rating and an optional comment, stored with the session for the library. */
import { useState } from "preact/hooks";
import { LIMITS, RATING } from "../../shared/limits";
import { Field } from "./Field";
import { patronPost } from "./patron-api";

export interface RatingFormProps {
  sessionId: string;
  token: string;
  origin: string;
  heading: "h2" | "h3";
}

export function RatingForm({ sessionId, token, origin, heading: H }: RatingFormProps) {
  const [state, setState] = useState<"form" | "sending" | "sent">("form");
  const [error, setError] = useState<string | null>(null);
  /** The server's thanks, shown once the rating is stored. */
  const [thanks, setThanks] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const rating = Number(data.get("rating"));
    if (!rating) return setError(`Choose a rating from ${RATING.lowest} to ${RATING.highest}.`);
    setState("sending");
    const res = await patronPost<{ message: string }>(origin, `/api/chats/${sessionId}/rating`, { rating, comment: data.get("comment") || undefined }, token);
    if (res.ok) return setThanks(res.data.message), setState("sent");
    setError(res.error.message);
    setState("form");
  };
  if (state === "sent") {
    return (
      <p class="confirmation" role="status">
        {thanks}
      </p>
    );
  }
  const scale = Array.from({ length: RATING.highest - RATING.lowest + 1 }, (_, i) => RATING.lowest + i);
  return (
    <form class="rating stack" onSubmit={submit} noValidate aria-labelledby="rating-title">
      <H id="rating-title">How did we do?</H>
      <fieldset aria-describedby={error ? "rating-error" : undefined}>
        <legend>
          Rate this chat from {RATING.lowest} (poor) to {RATING.highest} (excellent)
        </legend>
        {error ? (
          <p class="field-error" id="rating-error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="rating-scale">
          {scale.map((n) => (
            <label class="rating-option" key={n}>
              <input type="radio" name="rating" value={n} /> {n}
            </label>
          ))}
        </div>
      </fieldset>
      <Field id="rating-comment" label="Comment" kind="textarea" name="comment" optional maxLength={LIMITS.ratingCommentChars} />
      <button type="submit" class="primary" disabled={state === "sending"}>
        Send feedback
      </button>
    </form>
  );
}
