/**
 * Canned messages ("scripts") the library defines: filter as you type, pick
 * one, and it goes into the message box to send as it is or to edit first.
 */
import { useState } from "preact/hooks";
import { DialogFooter } from "./DialogFooter";
import { filterCodes } from "./end-rules";
import { Modal } from "./Modal";

export interface CannedMessage {
  id: number;
  title: string;
  body: string;
}

export interface ScriptsDialogProps {
  sessionId: string;
  scripts: CannedMessage[];
  onPick: (body: string) => void;
  onClose: () => void;
}

export function ScriptsDialog({ sessionId, scripts, onPick, onClose }: ScriptsDialogProps) {
  const [query, setQuery] = useState("");
  // The same word-by-word filter as the codes picker, over title and text.
  const shown = filterCodes(
    scripts.map((s) => ({ ...s, code: s.body, label: s.title })),
    query,
  );
  const pick = (body: string) => {
    onPick(body);
    onClose();
  };
  return (
    <Modal titleId={`scripts-title-${sessionId}`} title="Canned messages" onClose={onClose} class="small-dialog">
      {scripts.length === 0 ? (
        <p>Your library has no canned messages yet. A library administrator can add them.</p>
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
                pick(shown[0].body);
              }
            }}
          />
          <p id={`scripts-hint-${sessionId}`} class="help">
            Enter inserts the first match into the message box; nothing is sent until you send it.
          </p>
          <ul class="scripts-list">
            {shown.map((s) => (
              <li key={s.id}>
                <button type="button" class="script" onClick={() => pick(s.body)}>
                  <strong>{s.title}</strong>
                  <span class="script-body">{s.body}</span>
                </button>
              </li>
            ))}
          </ul>
          {shown.length === 0 ? <p>No canned message matches “{query}”.</p> : null}
        </>
      )}
      <DialogFooter onClose={onClose} />
    </Modal>
  );
}
