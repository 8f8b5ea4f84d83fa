/**
 * "Send a link": an address and an optional title become one message; the
 * patron's window shows the address as a link that opens in a new window.
 */
import { useState } from "preact/hooks";
import { DialogFooter } from "./DialogFooter";
import { checkLink, linkMessage } from "./link-message";
import { LinkFields } from "./LinkFields";
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
    <Modal titleId={id("title-heading")} title={
        <>
          Send a link to <bdi>{patronName}</bdi>
        </>
      } onClose={onClose} class="small-dialog">
      <form class="stack" onSubmit={submit} noValidate>
        <LinkFields id={id} url={url} title={title} onUrl={setUrl} onTitle={setTitle} problem={problem} titleHint="(optional, shown before the link)" />
        <p class="help">The patron sees the address as a link that opens in a new window.</p>
        <DialogFooter action={{ label: "Send link" }} onClose={onClose} />
      </form>
    </Modal>
  );
}
