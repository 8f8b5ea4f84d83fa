/**
 * The end-of-session dialog: one form, one save — the resolution code
 * (required), the descriptive codes as the patron's library wants them (none
 * when it turned them off; at least one when it requires them; never more
 * than four — search as you type over the library's list, Enter in the search
 * box picks the first match), a note. Nothing is sent until it all passes the
 * same rules the server applies.
 */
import { useEffect, useState } from "preact/hooks";
import { RESOLUTION_CODES, type ResolutionCode } from "../../shared/codes";
import { codesCountProblem, type DescriptiveCodesMode } from "../../shared/codes-settings";
import { LIMITS } from "../../shared/limits";
import { api } from "./api";
import { DescriptiveCodesPicker } from "./DescriptiveCodesPicker";
import { DialogFooter } from "./DialogFooter";
import { endProblems } from "./end-rules";
import { Modal } from "./Modal";

interface Code {
  code: string;
  label: string;
}

export interface EndDialogProps {
  sessionId: string;
  patronName: string;
  /** The patron has already left: say so, and suggest the fitting codes. */
  patronLeft?: boolean;
  onEnded: () => void;
  onCancel: () => void;
}

export function EndDialog({ sessionId, patronName, patronLeft, onEnded, onCancel }: EndDialogProps) {
  const [codes, setCodes] = useState<Code[]>([]);
  const [mode, setMode] = useState<DescriptiveCodesMode>("optional");
  const [resolution, setResolution] = useState<ResolutionCode | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [note, setNote] = useState("");
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void api<{ codes: Code[]; mode: DescriptiveCodesMode }>(`/api/chats/${sessionId}/codes`).then((r) => {
      if (r.ok) {
        setCodes(r.data.codes);
        setMode(r.data.mode ?? "optional");
      }
      else setProblems([{ field: "form", message: `The codes could not be loaded: ${r.error.message}` }]);
    });
  }, [sessionId]);

  const save = async (e: Event) => {
    e.preventDefault();
    const found = endProblems({ resolution, descriptiveCodes: selected }, new Set(codes.map((c) => c.code)));
    const countProblem = codesCountProblem(mode, selected.length);
    if (countProblem && !found.some((p) => p.field === "descriptiveCodes")) found.push({ field: "descriptiveCodes", message: `${countProblem}.` });
    setProblems(found);
    if (found.length) return;
    setSaving(true);
    const res = await api(`/api/chats/${sessionId}/end`, { method: "POST", body: { resolution, descriptiveCodes: selected, note: note || undefined } });
    setSaving(false);
    if (res.ok) onEnded();
    else setProblems([{ field: res.error.field?.split(".")[0] ?? "form", message: res.error.message }]);
  };
  const problemFor = (field: string) => problems.find((p) => p.field === field);

  return (
    <Modal titleId={`end-title-${sessionId}`} title={
        <>
          End chat with <bdi>{patronName}</bdi>
        </>
      } onClose={onCancel} class="end-dialog">
      <form onSubmit={save} class="stack" noValidate>
        {patronLeft ? <p>The patron has left. Choose the codes to file this chat.</p> : null}
        {problems.length ? (
          <div class="error-summary" role="alert">
            {problems.map((p) => (
              <p key={p.field + p.message}>{p.message}</p>
            ))}
          </div>
        ) : null}
        <fieldset aria-describedby={problemFor("resolution") ? `resolution-error-${sessionId}` : undefined}>
          <legend>Resolution (required)</legend>
          {problemFor("resolution") ? (
            <p id={`resolution-error-${sessionId}`} class="field-error">
              {problemFor("resolution")!.message}
            </p>
          ) : null}
          {RESOLUTION_CODES.map((r) => (
            <div class="radio" key={r.code}>
              <input type="radio" id={`res-${sessionId}-${r.code}`} name="resolution" value={r.code} checked={resolution === r.code} onChange={() => setResolution(r.code)} />
              <label for={`res-${sessionId}-${r.code}`}>{r.label}</label>
            </div>
          ))}
        </fieldset>
        {mode === "off" ? (
          <p class="help">This chat's library does not use descriptive codes.</p>
        ) : (
          <DescriptiveCodesPicker idBase={sessionId} codes={codes} selected={selected} onChange={setSelected} required={mode === "required"} />
        )}
        <div class="field">
          <label for={`end-note-${sessionId}`}>
            Note <span class="optional">(optional, not sent to the patron)</span>
          </label>
          <textarea id={`end-note-${sessionId}`} rows={2} maxLength={LIMITS.endNoteChars} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </div>
        <DialogFooter action={{ label: "End chat and save", busyLabel: "Ending…" }} busy={saving} onClose={onCancel} />
      </form>
    </Modal>
  );
}
