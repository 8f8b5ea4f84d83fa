/**
 * The follow-up answer box: what the librarian writes goes to the patron by
 * e-mail (the transcript quoted under it), is kept in the history, and makes
 * the question answered. One request id per answer, so a double submit or a
 * retry sends one mail.
 */
import { useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import type { QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import type { PanelProps } from "./QuestionPage";
import { newRequestId } from "./format";

export function AnswerForm({ detail, onChanged }: PanelProps) {
  const [body, setBody] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const { canAnswer, answerBlocked } = detail.viewer;
  const email = detail.patron.email;

  const send = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) {
      setError("Write the answer before sending it.");
      return;
    }
    setError(null);
    setSending(true);
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/answer`, { method: "POST", body: { body, requestId } });
    setSending(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setBody("");
    setRequestId(newRequestId());
    onChanged(res.data, `Answer sent to ${email}. The question is answered; the e-mail's progress is under “E-mails”.`);
  };

  return (
    <section aria-labelledby="answer-heading" class="panel answer">
      <h2 id="answer-heading">Follow-up answer</h2>
      {canAnswer ? (
        <form onSubmit={send} noValidate class="stack">
          <div class="field">
            <label for="answer-body">Answer to {email}</label>
            <p class="help" id="answer-help">
              Sent by e-mail in the library's name, with the patron's question{detail.patron.transcriptOptOut ? "" : " and the transcript"} quoted below it.
              Replies go to the library.
            </p>
            {error ? (
              <p class="field-error" id="answer-error" role="alert">
                {error}
              </p>
            ) : null}
            <textarea
              id="answer-body"
              rows={8}
              maxLength={LIMITS.followupChars}
              value={body}
              onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
              aria-describedby={error ? "answer-help answer-error" : "answer-help"}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <button type="submit" class="primary" disabled={sending}>
            {sending ? "Sending…" : "Send answer"}
          </button>
        </form>
      ) : (
        <p>{answerBlocked ?? "You cannot answer this question."}</p>
      )}
    </section>
  );
}
