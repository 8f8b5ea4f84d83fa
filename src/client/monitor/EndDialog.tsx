/**
 * The end-of-session dialog: one form, one save — the resolution code
 * (required), up to four descriptive codes (search as you type), a note.
 * A native <dialog> opened with showModal() keeps focus inside and closes on Escape.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_DESCRIPTIVE_CODES, RESOLUTION_CODES, type ResolutionCode } from "../../shared/codes";
import { LIMITS } from "../../shared/limits";
import { api } from "./api";
import { endProblems, filterCodes, toggleCode } from "./end-rules";

interface Code {
  code: string;
  label: string;
}

export interface EndDialogProps {
  sessionId: string;
  patronName: string;
  onEnded: () => void;
  onCancel: () => void;
}

export function EndDialog({ sessionId, patronName, onEnded, onCancel }: EndDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [codes, setCodes] = useState<Code[]>([]);
  const [resolution, setResolution] = useState<ResolutionCode | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [query, setQuery] = useState("");
  const [note, setNote] = useState("");
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    dialog.current?.showModal?.();
    void api<{ codes: Code[] }>(`/api/chats/${sessionId}/codes`).then((r) => r.ok && setCodes(r.data.codes));
  }, [sessionId]);

  const save = async (e: Event) => {
    e.preventDefault();
    const found = endProblems({ resolution, descriptiveCodes: selected }, new Set(codes.map((c) => c.code)));
    setProblems(found);
    if (found.length) return;
    setSaving(true);
    const res = await api(`/api/chats/${sessionId}/end`, { method: "POST", body: { resolution, descriptiveCodes: selected, note: note || undefined } });
    setSaving(false);
    if (res.ok) {
      dialog.current?.close();
      onEnded();
    } else {
      setProblems([{ field: res.error.field?.split(".")[0] ?? "form", message: res.error.message }]);
    }
  };
  const problemFor = (field: string) => problems.find((p) => p.field === field);
  const shown = filterCodes(codes, query);
  const labelOf = (code: string) => codes.find((c) => c.code === code)?.label ?? code;

  return (
    <dialog
      ref={dialog}
      class="end-dialog"
      aria-labelledby="end-title"
      onCancel={(e) => {
        e.preventDefault();
        dialog.current?.close();
        onCancel();
      }}
    >
      <form onSubmit={save} class="stack" noValidate>
        <h2 id="end-title">End chat with {patronName}</h2>
        {problems.length ? (
          <div class="error-summary" role="alert">
            {problems.map((p) => (
              <p key={p.field + p.message}>{p.message}</p>
            ))}
          </div>
        ) : null}
        <fieldset aria-describedby={problemFor("resolution") ? "resolution-error" : undefined}>
          <legend>Resolution (required)</legend>
          {problemFor("resolution") ? (
            <p id="resolution-error" class="field-error">
              {problemFor("resolution")!.message}
            </p>
          ) : null}
          {RESOLUTION_CODES.map((r) => (
            <div class="radio" key={r.code}>
              <input type="radio" id={`res-${r.code}`} name="resolution" value={r.code} checked={resolution === r.code} onChange={() => setResolution(r.code)} />
              <label for={`res-${r.code}`}>{r.label}</label>
            </div>
          ))}
        </fieldset>
        <fieldset class="codes-picker">
          <legend>
            Descriptive codes ({selected.length} of {MAX_DESCRIPTIVE_CODES} chosen)
          </legend>
          {selected.length ? (
            <ul class="chosen" aria-label="Chosen codes">
              {selected.map((c) => (
                <li key={c}>
                  {labelOf(c)}{" "}
                  <button type="button" class="small" aria-label={`Remove ${labelOf(c)}`} onClick={() => setSelected(toggleCode(selected, c))}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <label for="code-search">Search codes</label>
          <input id="code-search" type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} aria-controls="code-options" />
          <div id="code-options" class="code-options" role="group" aria-label="Matching codes">
            {shown.map((c) => {
              const checked = selected.includes(c.code);
              return (
                <div class="checkbox" key={c.code}>
                  <input
                    type="checkbox"
                    id={`code-${c.code}`}
                    checked={checked}
                    disabled={!checked && selected.length >= MAX_DESCRIPTIVE_CODES}
                    onChange={() => setSelected(toggleCode(selected, c.code))}
                  />
                  <label for={`code-${c.code}`}>{c.label}</label>
                </div>
              );
            })}
            {shown.length === 0 ? <p>No code matches “{query}”.</p> : null}
          </div>
        </fieldset>
        <div class="field">
          <label for="end-note">
            Note <span class="optional">(optional, not sent to the patron)</span>
          </label>
          <textarea id="end-note" rows={2} maxLength={LIMITS.endNoteChars} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </div>
        <div class="dialog-actions">
          <button type="submit" class="primary" disabled={saving}>
            {saving ? "Ending…" : "End chat and save"}
          </button>
          <button
            type="button"
            onClick={() => {
              dialog.current?.close();
              onCancel();
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
