/**
 * "Send a link": an address and an optional title become one message; the
 * patron's window shows the address as a link that opens in a new window.
 */
import { useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import { checkLink, linkMessage } from "./link-message";
import { Modal } from "./Modal";

export interface LinkDialogProps {
  sessionId: string;
  patronName: string;
  onSend: (body: string) => void;
  onClose: () => void;
}

export function LinkDialog({ sessionId, patronName, onSend, onClose }: LinkDialogProps) {
  const [url, setUrl] = useState("");
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<{ field: "url" | "title"; message: string } | null>(null);
  const id = (name: string) => `link-${name}-${sessionId}`;
  const submit = (e: Event) => {
    e.preventDefault();
    const checked = checkLink(url, title);
    if (!checked.ok) {
      setProblem(checked);
      document.getElementById(id(checked.field))?.focus();
      return;
    }
    onSend(linkMessage(checked.url, title));
    onClose();
  };
  return (
    <Modal titleId={id("title-heading")} title={`Send a link to ${patronName}`} onClose={onClose} class="small-dialog">
      <form class="stack" onSubmit={submit} noValidate>
        <div class="field">
          <label for={id("url")}>Address</label>
          {problem?.field === "url" ? (
            <p id={id("url-error")} class="field-error">
              {problem.message}
            </p>
          ) : null}
          <input
            id={id("url")}
            type="url"
            inputMode="url"
            required
            maxLength={LIMITS.urlChars}
            placeholder="https://"
            value={url}
            aria-invalid={problem?.field === "url" ? "true" : undefined}
            aria-describedby={problem?.field === "url" ? id("url-error") : undefined}
            onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
            autoFocus
          />
        </div>
        <div class="field">
          <label for={id("title")}>
            Title <span class="optional">(optional, shown before the link)</span>
          </label>
          {problem?.field === "title" ? (
            <p id={id("title-error")} class="field-error">
              {problem.message}
            </p>
          ) : null}
          <input
            id={id("title")}
            type="text"
            maxLength={LIMITS.linkTitleChars}
            value={title}
            aria-invalid={problem?.field === "title" ? "true" : undefined}
            aria-describedby={problem?.field === "title" ? id("title-error") : undefined}
            onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
          />
        </div>
        <p class="help">The patron sees the address as a link that opens in a new window.</p>
        <div class="dialog-actions">
          <button type="submit" class="primary">
            Send link
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
