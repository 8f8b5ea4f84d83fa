/**
 * Files in the monitor's chat pane: the librarian attaches a file (sent with
 * their sign-in, `?as=librarian`), files show in the transcript from their own
 * address, and the librarian who owns the chat can refuse files for it (or
 * take them again) — the patron is told in the chat.
 */
import type { ChatMessage, SessionView } from "../../shared/protocol";
import { FileAttach } from "../shared/FileAttach";
import { FILE_UI_TEXTS as T } from "../shared/file-texts";
import { FileView } from "../shared/FileView";
import { api } from "./api";

const filePath = (sessionId: string) => (fileId: string) => `/api/chats/${sessionId}/files/${fileId}`;

/** The transcript's file renderer for a chat. */
export function monitorFileRenderer(sessionId: string): (m: ChatMessage) => preact.ComponentChildren {
  const link = filePath(sessionId);
  return (m) => (m.file ? <FileView file={m.file} link={link} /> : null);
}

export interface ChatFileControlsProps {
  sessionId: string;
  session: SessionView | null;
  meId: string;
  canWrite: boolean;
  onNotice: (text: string) => void;
}

export function ChatFileControls({ sessionId, session, meId, canWrite, onNotice }: ChatFileControlsProps) {
  const allowed = session?.filesAllowed !== false;
  const owner = session?.librarian?.id === meId;
  const toggle = async () => {
    const r = await api(`/api/chats/${sessionId}/files-allowed`, { method: "POST", body: { allowed: !allowed } });
    if (!r.ok) onNotice(r.error.message);
  };
  return (
    <div class="chat-files">
      {allowed ? <FileAttach id={`file-${sessionId}`} disabled={!canWrite} target={{ url: `/api/chats/${sessionId}/files`, query: { as: "librarian" } }} /> : <p class="file-note">{T.filesOffNote}</p>}
      {owner && canWrite ? (
        <button type="button" onClick={() => void toggle()}>
          {allowed ? T.refuseFiles : T.allowFiles}
        </button>
      ) : null}
    </div>
  );
}
