/** Internal notes: for librarians only, never sent to the patron. */
import { LIMITS } from "../../shared/limits";
import type { QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import type { PanelProps } from "./QuestionPage";
import { formatWhen, isoTime } from "./format";
import { TextBoxForm } from "./TextBoxForm";

export function NotesPanel({ detail, boot, onChanged }: PanelProps) {
  const save = async (body: string) => {
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/notes`, { method: "POST", body: { body } });
    if (!res.ok) return res.error.message;
    onChanged(res.data, "Note added.");
    return null;
  };

  return (
    <section aria-labelledby="notes-heading" class="panel">
      <h2 id="notes-heading">Internal notes</h2>
      {detail.notes.length ? (
        <ul class="notes">
          {detail.notes.map((n) => (
            <li key={n.id}>
              <p class="note-meta">
                <strong>{n.author ? <bdi>{n.author.name}</bdi> : "A librarian"}</strong> <time dateTime={isoTime(n.at)}>{formatWhen(n.at, boot.timeZone)}</time>
              </p>
              <p class="note-body" dir="auto">
                {n.body}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>No notes yet.</p>
      )}
      <TextBoxForm
        id="note"
        label="New note (not sent to the patron)"
        rows={3}
        maxLength={LIMITS.noteChars}
        emptyMessage="Write the note before saving it."
        submit={{ label: "Add note", busyLabel: "Saving…" }}
        send={save}
      />
    </section>
  );
}
