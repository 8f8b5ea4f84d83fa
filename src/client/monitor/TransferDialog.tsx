/**
 * Transfer a chat: to a colleague who is monitoring (they are offered it and
 * accept it) or to a queue (everyone monitoring there is offered it), with an
 * internal note only librarians see. Until someone accepts, the chat stays
 * with you; the patron is told they are being transferred.
 */
import { useState } from "preact/hooks";
import { LIMITS, TIMING } from "../../shared/limits";
import type { Monitor } from "../../shared/protocol";
import { api } from "./api";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";

export interface TransferDialogProps {
  sessionId: string;
  patronName: string;
  /** Colleagues monitoring any of your queues (not away). */
  colleagues: Monitor[];
  queues: { id: string; name: string }[];
  onTransferred: (toName: string) => void;
  onClose: () => void;
}

export function TransferDialog({ sessionId, patronName, colleagues, queues, onTransferred, onClose }: TransferDialogProps) {
  const [target, setTarget] = useState<string>("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const available = colleagues.filter((c) => c.status !== "away");
  const id = (name: string) => `transfer-${name}-${sessionId}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    const [kind, ...rest] = target.split(":");
    const value = rest.join(":");
    if (!value) {
      setProblem("Choose a librarian or a queue.");
      return;
    }
    const to = kind === "librarian" ? { kind: "librarian", librarianId: value } : { kind: "queue", queueId: value };
    setSaving(true);
    const res = await api(`/api/chats/${sessionId}/transfer`, { method: "POST", body: { to, note: note.trim() || undefined } });
    setSaving(false);
    if (!res.ok) {
      setProblem(res.error.message);
      return;
    }
    const name = kind === "librarian" ? available.find((c) => c.librarianId === value)?.name : queues.find((q) => q.id === value)?.name;
    onTransferred(name ?? value);
    onClose();
  };

  return (
    <Modal titleId={id("heading")} title={
        <>
          Transfer the chat with <bdi>{patronName}</bdi>
        </>
      } onClose={onClose} class="small-dialog">
      <form class="stack" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Transfer to</legend>
          {available.length === 0 ? <p class="help">No other librarian is monitoring your queues right now.</p> : null}
          {available.map((c) => (
            <div class="radio" key={c.librarianId}>
              <input type="radio" id={id(`l-${c.librarianId}`)} name={id("target")} value={`librarian:${c.librarianId}`} checked={target === `librarian:${c.librarianId}`} onChange={() => setTarget(`librarian:${c.librarianId}`)} />
              <label for={id(`l-${c.librarianId}`)}>
                <bdi>{c.name}</bdi> <span class="optional">({c.status === "busy" ? "busy" : "online"}; they accept it)</span>
              </label>
            </div>
          ))}
          {queues.map((q) => (
            <div class="radio" key={q.id}>
              <input type="radio" id={id(`q-${q.id}`)} name={id("target")} value={`queue:${q.id}`} checked={target === `queue:${q.id}`} onChange={() => setTarget(`queue:${q.id}`)} />
              <label for={id(`q-${q.id}`)}>
                Queue: <bdi>{q.name}</bdi> <span class="optional">(anyone monitoring it)</span>
              </label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for={id("note")}>
            Note for the next librarian <span class="optional">(optional; the patron never sees it)</span>
          </label>
          <textarea id={id("note")} rows={3} maxLength={LIMITS.transferNoteChars} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </div>
        <p class="help">The chat stays with you until someone accepts it, and comes back if nobody does within {Math.round(TIMING.transferOfferMs / 1000)} seconds.</p>
        <DialogFooter action={{ label: "Transfer", busyLabel: "Transferring…" }} busy={saving} error={problem} onClose={onClose} />
      </form>
    </Modal>
  );
}
