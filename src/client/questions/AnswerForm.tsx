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
import { TextBoxForm } from "./TextBoxForm";

export function AnswerForm({ detail, onChanged }: PanelProps) {
  const [requestId, setRequestId] = useState(newRequestId);
  const { canAnswer, answerBlocked } = detail.viewer;
  const email = detail.patron.email;

  const send = async (body: string) => {
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/answer`, { method: "POST", body: { body, requestId } });
    if (!res.ok) return res.error.message;
    setRequestId(newRequestId());
    onChanged(res.data, `Answer sent to ${email}. The question is answered; the e-mail's progress is under “E-mails”.`);
    return null;
  };

  return (
    <section aria-labelledby="answer-heading" class="panel answer">
      <h2 id="answer-heading">Follow-up answer</h2>
      {canAnswer ? (
        <TextBoxForm
          id="answer"
          label={<>Answer to {email}</>}
          help={
            <>
              Sent by e-mail in the library's name, with the patron's question{detail.patron.transcriptOptOut ? "" : " and the transcript"} quoted below it.
              Replies go to the library.
            </>
          }
          rows={8}
          maxLength={LIMITS.followupChars}
          emptyMessage="Write the answer before sending it."
          submit={{ label: "Send answer", busyLabel: "Sending…", primary: true }}
          send={send}
        />
      ) : (
        <p>{answerBlocked ?? "You cannot answer this question."}</p>
      )}
    </section>
  );
}
