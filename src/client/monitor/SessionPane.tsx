/**
 * One chat the librarian is serving: patron details, the transcript, the
 * composer, and the end-of-session dialog.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ChatMessage } from "../../shared/protocol";
import { Composer } from "../shared/Composer";
import { SessionConnection, socketUrl, type SessionSnapshot } from "../shared/session-connection";
import { Transcript } from "../shared/Transcript";
import { EndDialog } from "./EndDialog";

export interface OpenSession {
  sessionId: string;
  patronName: string;
  question: string;
  libraryName: string;
}

export interface SessionPaneProps {
  open: OpenSession;
  visible: boolean;
  myName: string;
  onLiveMessage: (sessionId: string, m: ChatMessage) => void;
  onEnded: (sessionId: string) => void;
}

export function SessionPane({ open, visible, myName, onLiveMessage, onEnded }: SessionPaneProps) {
  const [snap, setSnap] = useState<SessionSnapshot | null>(null);
  const [ending, setEnding] = useState(false);
  const connection = useMemo(
    () =>
      new SessionConnection({
        url: socketUrl(`/api/chats/${open.sessionId}/socket?as=librarian`),
        onChange: setSnap,
        onLiveMessage: (m) => onLiveMessage(open.sessionId, m),
      }),
    [open.sessionId],
  );
  useEffect(() => () => connection.close(), [connection]);

  const status = snap?.session?.status;
  const canWrite = status === "active";
  return (
    <section class="session-pane" hidden={!visible} aria-labelledby={`pane-${open.sessionId}`} id={`panel-${open.sessionId}`} role="tabpanel">
      <header class="session-header">
        <h2 id={`pane-${open.sessionId}`}>{open.patronName}</h2>
        <dl class="patron-details">
          <dt>Library</dt>
          <dd>{open.libraryName}</dd>
          <dt>Question</dt>
          <dd>{open.question}</dd>
        </dl>
        <p class="connection" role="status">
          {snap?.connection === "reconnecting" ? "Connection lost. Reconnecting…" : status === "patron_left" ? "The patron has left. End the chat with its codes." : ""}
        </p>
      </header>
      {snap ? <Transcript messages={snap.messages} pending={snap.pending} synced={snap.synced} me="librarian" myName={myName} label={`Chat with ${open.patronName}`} /> : null}
      {snap?.typing ? (
        <p class="typing" aria-hidden="true">
          {snap.typing} is typing…
        </p>
      ) : null}
      {snap?.error ? (
        <p class="form-error" role="alert">
          {snap.error}
        </p>
      ) : null}
      <Composer
        id={`composer-${open.sessionId}`}
        label={`Message to ${open.patronName}`}
        disabled={!canWrite}
        onSend={(text) => connection.send(text)}
        onTyping={(a) => connection.setTyping(a)}
      >
        <button type="button" class="danger" onClick={() => setEnding(true)} disabled={status !== "active" && status !== "patron_left"}>
          End chat…
        </button>
      </Composer>
      {ending ? (
        <EndDialog
          sessionId={open.sessionId}
          patronName={open.patronName}
          onCancel={() => setEnding(false)}
          onEnded={() => {
            setEnding(false);
            onEnded(open.sessionId);
          }}
        />
      ) : null}
    </section>
  );
}
