/** Internal notes: for librarians only, never sent to the patron. */
import { useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import type { QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import type { PanelProps } from "./QuestionPage";
import { formatWhen, isoTime } from "./format";

export function NotesPanel({ detail, boot, onChanged }: PanelProps) {
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) {
      setError("Write the note before saving it.");
      return;
    }
    setError(null);
    setSaving(true);
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/notes`, { method: "POST", body: { body } });
    setSaving(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    setBody("");
    onChanged(res.data, "Note added.");
  };

  return (
    <section aria-labelledby="notes-heading" class="panel">
      <h2 id="notes-heading">Internal notes</h2>
      {detail.notes.length ? (
        <ul class="notes">
          {detail.notes.map((n) => (
            <li key={n.id}>
              <p class="note-meta">
                <strong>{n.author?.name ?? "A librarian"}</strong> <time dateTime={isoTime(n.at)}>{formatWhen(n.at, boot.timeZone)}</time>
              </p>
              <p class="note-body">{n.body}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>No notes yet.</p>
      )}
      <form onSubmit={save} noValidate class="stack">
        <div class="field">
          <label for="note-body">New note (not sent to the patron)</label>
          {error ? (
            <p class="field-error" id="note-error" role="alert">
              {error}
            </p>
          ) : null}
          <textarea
            id="note-body"
            rows={3}
            maxLength={LIMITS.noteChars}
            value={body}
            onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
            aria-describedby={error ? "note-error" : undefined}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Add note"}
        </button>
      </form>
    </section>
  );
}
