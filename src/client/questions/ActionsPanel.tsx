/**
 * Status and owner: the actions the transitions table allows from the
 * question's status (the server decides; this only offers them).
 */
import { useState } from "preact/hooks";
import { TRANSITIONS, type QuestionAction } from "../../shared/question-rules";
import type { QuestionDetail, TransitionBody } from "../../shared/questions-api";
import { api } from "../monitor/api";
import { ErrorLine } from "../shared/ErrorLine";
import type { PanelProps } from "./QuestionPage";
import { statusText } from "./format";

type StatusAction = Exclude<QuestionAction, "answer">;

export function ActionsPanel({ detail, onChanged }: PanelProps) {
  const [assignee, setAssignee] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { actions, home } = detail.viewer;
  const owner = detail.question.assignee?.id ?? null;
  const choices = detail.colleagues.filter((c) => c.id !== owner);
  const assignAction = actions.find((a): a is "assign" | "reassign" => TRANSITIONS[a].needsAssignee);
  const simple = actions.filter((a) => !TRANSITIONS[a].needsAssignee);

  const run = async (action: StatusAction) => {
    setError(null);
    const body: TransitionBody = action === "assign" || action === "reassign" ? { action, assigneeId: assignee } : { action };
    if ("assigneeId" in body && !body.assigneeId) {
      setError({ message: "Choose who should have the question.", field: "assigneeId" });
      return;
    }
    setBusy(true);
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/actions`, { method: "POST", body });
    setBusy(false);
    if (!res.ok) {
      setError({ message: res.error.message, field: res.error.field });
      return;
    }
    setAssignee("");
    const who = res.data.question.assignee?.name;
    onChanged(res.data, `${TRANSITIONS[action].past[0]!.toUpperCase()}${TRANSITIONS[action].past.slice(1)}: now ${statusText(res.data.question.status)}${who ? `, owned by ${who}` : ""}.`);
  };

  return (
    <section aria-labelledby="actions-heading" class="panel">
      <h2 id="actions-heading">Status and owner</h2>
      {!home ? <p>This question belongs to {detail.question.libraryName}: its librarians change its status, owner and codes. You can answer the patron and add notes.</p> : null}
      {home && actions.length === 0 ? <p>Nothing to change from {statusText(detail.question.status).toLowerCase()}.</p> : null}
      <ErrorLine message={error?.message} id="actions-error" />
      {assignAction ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(assignAction);
          }}
        >
          <label for="assignee">{assignAction === "assign" ? "Assign to" : "Reassign to"}</label>
          <select
            id="assignee"
            value={assignee}
            onChange={(e) => setAssignee((e.target as HTMLSelectElement).value)}
            aria-invalid={error?.field === "assigneeId" ? true : undefined}
            aria-describedby={error?.field === "assigneeId" ? "actions-error" : undefined}
          >
            <option value="">Choose a librarian…</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {TRANSITIONS[assignAction].label}
          </button>
        </form>
      ) : null}
      {simple.length ? (
        <div class="action-buttons">
          {simple.map((a) => (
            <button key={a} type="button" class={a === "close" ? "danger" : undefined} disabled={busy} onClick={() => void run(a)}>
              {TRANSITIONS[a].label}
            </button>
          ))}
        </div>
      ) : null}
    </section>
  );
}
