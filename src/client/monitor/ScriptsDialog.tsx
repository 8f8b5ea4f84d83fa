/**
 * Every script this librarian may use — their own, their library's, their
 * cooperatives' — grouped by level and category: filter as you type, pick
 * one, and it goes into the message box (placeholders filled in) to send as
 * it is or to edit first. The quicker way is "/" in the message box
 * (./ScriptPicker.tsx).
 */
import { useState } from "preact/hooks";
import { SCRIPT_SCOPE_LABELS, type ScriptView } from "../../shared/scripts";
import { DialogFooter } from "./DialogFooter";
import { filterCodes } from "./end-rules";
import { Modal } from "./Modal";

export interface ScriptsDialogProps {
  sessionId: string;
  scripts: ScriptView[];
  onPick: (script: ScriptView) => void;
  onClose: () => void;
}

/** The heading a script is listed under: its level, and its category. */
const groupOf = (s: ScriptView) => `${s.scope === "group" ? (s.groupName ?? SCRIPT_SCOPE_LABELS.group) : SCRIPT_SCOPE_LABELS[s.scope]}${s.category ? ` · ${s.category}` : ""}`;

export function ScriptsDialog({ sessionId, scripts, onPick, onClose }: ScriptsDialogProps) {
  const [query, setQuery] = useState("");
  // The same word-by-word filter as the codes picker, over title, category and text.
  const shown = filterCodes(
    scripts.map((s) => ({ ...s, code: `${s.category} ${s.body}`, label: s.title })),
    query,
  );
  const pick = (script: ScriptView) => {
    onPick(script);
    onClose();
  };
  const groups = [...new Set(shown.map(groupOf))];
  return (
    <Modal titleId={`scripts-title-${sessionId}`} title="Canned messages (scripts)" onClose={onClose} class="small-dialog">
      {scripts.length === 0 ? (
        <p>
          You have no scripts yet. Write your own under <a href="/admin/account">Your account</a>; a library administrator can add the library's.
        </p>
      ) : (
        <>
          <label for={`scripts-search-${sessionId}`}>Search canned messages</label>
          <input
            id={`scripts-search-${sessionId}`}
            type="search"
            autoComplete="off"
            value={query}
            autoFocus
            aria-describedby={`scripts-hint-${sessionId}`}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && shown[0]) {
                e.preventDefault();
                pick(shown[0]);
              }
            }}
          />
          <p id={`scripts-hint-${sessionId}`} class="help">
            Enter inserts the first match into the message box; nothing is sent until you send it. In the message box, type / and a few letters.
          </p>
          <div class="scripts-list">
            {groups.map((g) => (
              <section key={g} aria-label={g}>
                <h3 class="scripts-group">{g}</h3>
                <ul>
                  {shown
                    .filter((s) => groupOf(s) === g)
                    .map((s) => (
                      <li key={s.id}>
                        <button type="button" class="script" onClick={() => pick(s)}>
                          <strong>{s.title}</strong>
                          <span class="script-body">{s.body}</span>
                        </button>
                      </li>
                    ))}
                </ul>
              </section>
            ))}
          </div>
          {shown.length === 0 ? <p>No canned message matches “{query}”.</p> : null}
        </>
      )}
      <DialogFooter onClose={onClose} />
    </Modal>
  );
}
