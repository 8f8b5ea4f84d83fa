/**
 * The end-of-session dialog: one form, one save — the resolution code
 * (required), up to four descriptive codes (search as you type over the
 * library's list; Enter in the search box picks the first match), a note.
 * Nothing is sent until it all passes the same rules the server applies.
 */
import { useEffect, useState } from "preact/hooks";
import { MAX_DESCRIPTIVE_CODES, RESOLUTION_CODES, type ResolutionCode } from "../../shared/codes";
import { LIMITS } from "../../shared/limits";
import { api } from "./api";
import { chooseFirstMatch, endProblems, filterCodes, toggleCode } from "./end-rules";
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
  const [resolution, setResolution] = useState<ResolutionCode | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [query, setQuery] = useState("");
  const [note, setNote] = useState("");
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void api<{ codes: Code[] }>(`/api/chats/${sessionId}/codes`).then((r) => {
      if (r.ok) setCodes(r.data.codes);
      else setProblems([{ field: "form", message: `The codes could not be loaded: ${r.error.message}` }]);
    });
  }, [sessionId]);

  const save = async (e: Event) => {
    e.preventDefault();
    const found = endProblems({ resolution, descriptiveCodes: selected }, new Set(codes.map((c) => c.code)));
    setProblems(found);
    if (found.length) return;
    setSaving(true);
    const res = await api(`/api/chats/${sessionId}/end`, { method: "POST", body: { resolution, descriptiveCodes: selected, note: note || undefined } });
    setSaving(false);
    if (res.ok) onEnded();
    else setProblems([{ field: res.error.field?.split(".")[0] ?? "form", message: res.error.message }]);
  };
  const problemFor = (field: string) => problems.find((p) => p.field === field);
  const shown = filterCodes(codes, query);
  const labelOf = (code: string) => codes.find((c) => c.code === code)?.label ?? code;
  const atLimit = selected.length >= MAX_DESCRIPTIVE_CODES;

  return (
    <Modal titleId={`end-title-${sessionId}`} title={`End chat with ${patronName}`} onClose={onCancel} class="end-dialog">
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
          <label for={`code-search-${sessionId}`}>Search codes</label>
          <input
            id={`code-search-${sessionId}`}
            type="search"
            value={query}
            autoComplete="off"
            aria-describedby={`code-search-hint-${sessionId}`}
            aria-controls={`code-options-${sessionId}`}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key !== "Enter") return;
              // Enter picks the first match instead of submitting the whole form.
              e.preventDefault();
              setSelected(chooseFirstMatch(selected, codes, query));
              setQuery("");
            }}
          />
          <p id={`code-search-hint-${sessionId}`} class="help">
            Type to filter; Enter chooses the first match. {atLimit ? `You have chosen the most (${MAX_DESCRIPTIVE_CODES}).` : ""}
          </p>
          <div id={`code-options-${sessionId}`} class="code-options" role="group" aria-label="Matching codes">
            {shown.map((c) => {
              const checked = selected.includes(c.code);
              return (
                <div class="checkbox" key={c.code}>
                  <input
                    type="checkbox"
                    id={`code-${sessionId}-${c.code}`}
                    checked={checked}
                    disabled={!checked && atLimit}
                    onChange={() => setSelected(toggleCode(selected, c.code))}
                  />
                  <label for={`code-${sessionId}-${c.code}`}>{c.label}</label>
                </div>
              );
            })}
            {shown.length === 0 && codes.length > 0 ? <p>No code matches “{query}”.</p> : null}
          </div>
        </fieldset>
        <div class="field">
          <label for={`end-note-${sessionId}`}>
            Note <span class="optional">(optional, not sent to the patron)</span>
          </label>
          <textarea id={`end-note-${sessionId}`} rows={2} maxLength={LIMITS.endNoteChars} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </div>
        <div class="dialog-actions">
          <button type="submit" class="primary" disabled={saving}>
            {saving ? "Ending…" : "End chat and save"}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
