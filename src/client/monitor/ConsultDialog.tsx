/**
 * Invite a colleague to help in a chat (a consult): any librarian of your
 * library or its cooperatives who is online or busy now (GET
 * /api/staff/colleagues). They are asked on the queue they monitor and join
 * or decline; the chat stays yours, and only you end it.
 */
import { useEffect, useState } from "preact/hooks";
import { TIMING } from "../../shared/limits";
import { api } from "./api";
import type { ColleagueView } from "./DirectMessages";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";

export interface ConsultDialogProps {
  sessionId: string;
  patronName: string;
  /** Already in the chat: not offered. */
  inChat: string[];
  onInvited: (name: string) => void;
  onClose: () => void;
}

export function ConsultDialog({ sessionId, patronName, inChat, onInvited, onClose }: ConsultDialogProps) {
  const [colleagues, setColleagues] = useState<ColleagueView[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = (name: string) => `consult-${name}-${sessionId}`;

  useEffect(() => {
    void api<{ colleagues: ColleagueView[] }>("/api/staff/colleagues").then((r) => (r.ok ? setColleagues(r.data.colleagues) : setProblem(r.error.message)));
  }, []);
  const available = (colleagues ?? []).filter((c) => (c.presence === "online" || c.presence === "busy") && !inChat.includes(c.id));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!chosen) return setProblem("Choose a colleague.");
    setSaving(true);
    const res = await api(`/api/chats/${sessionId}/consult`, { method: "POST", body: { librarianId: chosen } });
    setSaving(false);
    if (!res.ok) return setProblem(res.error.message);
    onInvited(available.find((c) => c.id === chosen)?.name ?? "your colleague");
    onClose();
  };

  return (
    <Modal
      titleId={id("heading")}
      title={
        <>
          Invite a colleague to help with <bdi>{patronName}</bdi>
        </>
      }
      onClose={onClose}
      class="small-dialog"
    >
      <form class="stack" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Colleague</legend>
          {colleagues === null ? <p class="help">Looking for colleagues who are online…</p> : null}
          {colleagues !== null && available.length === 0 ? <p class="help">No colleague of your library or cooperatives is online right now.</p> : null}
          {available.map((c) => (
            <div class="radio" key={c.id}>
              <input type="radio" id={id(`l-${c.id}`)} name={id("who")} value={c.id} checked={chosen === c.id} onChange={() => setChosen(c.id)} />
              <label for={id(`l-${c.id}`)}>
                <bdi>{c.name}</bdi> <span class="optional">(<bdi>{c.libraryName}</bdi>; {c.presence})</span>
              </label>
            </div>
          ))}
        </fieldset>
        <p class="help">
          They join the chat as a second librarian and the patron sees who joined. The chat stays yours: only you transfer or end it. The invitation lapses after{" "}
          {Math.round(TIMING.transferOfferMs / 1000)} seconds.
        </p>
        <DialogFooter action={{ label: "Invite", busyLabel: "Inviting…" }} busy={saving} error={problem} onClose={onClose} />
      </form>
    </Modal>
  );
}
