/**
 * Files in the patron's chat window (the hosted page and the Qwidget), a
 * chunk of their own so the Qwidget's first load does not carry them. The patron
 * sends with the chat token; to show a file, the window asks for a signed
 * link (an image element cannot send the token), once per file.
 */
import type { ChatMessage } from "../../../shared/protocol";
import { FileAttach } from "../../shared/FileAttach";
import { FileView, type FileLink } from "../../shared/FileView";

// The Qwidget hands this chunk its own Preact (../../shared/preact-host.ts).
export { adoptPreact } from "../../shared/preact-adopt";

interface ChatKey {
  sessionId: string;
  token: string;
  /** The Refdesk service's origin (another than the page's inside the Qwidget). */
  origin: string;
}

const links = new Map<string, Promise<string | null>>();

function signedLink({ sessionId, token, origin }: ChatKey): FileLink {
  return (fileId) => {
    let found = links.get(fileId);
    if (!found) {
      found = fetch(`${origin}/api/chats/${sessionId}/files/${fileId}/link`, { headers: { Authorization: `Bearer ${token}` } })
        .then(async (res) => (res.ok ? `${origin}${((await res.json()) as { url: string }).url}` : null))
        .catch(() => null);
      // A failure is asked again next time the file shows.
      void found.then((url) => url ?? links.delete(fileId));
      links.set(fileId, found);
    }
    return found;
  };
}

/** The transcript's file renderer for this chat. */
export function patronFileRenderer(chat: ChatKey): (m: ChatMessage) => preact.ComponentChildren {
  const link = signedLink(chat);
  return (m) => (m.file ? <FileView file={m.file} link={link} /> : null);
}

export function PatronFileAttach({ sessionId, token, origin, disabled }: ChatKey & { disabled?: boolean }) {
  return <FileAttach id="patron-file" disabled={disabled} target={{ url: `${origin}/api/chats/${sessionId}/files`, headers: { Authorization: `Bearer ${token}` } }} />;
}
