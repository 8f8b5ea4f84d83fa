/**
 * The patron's chat window: waiting, chatting, unavailable (with the library's
 * alternatives and "leave your question by e-mail"), and ended. Used by the
 * hosted chat page and inside the Qwidget.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Composer } from "../shared/Composer";
import { SessionConnection, socketUrl, type SessionSnapshot } from "../shared/session-connection";
import { Transcript } from "../shared/Transcript";

export interface Alternatives {
  message: string;
  email: string | null;
  phone: string | null;
  hours: string | null;
  links: { label: string; url: string }[];
}

export interface ChatWindowProps {
  sessionId: string;
  token: string;
  /** Origin of the Refdesk service (differs from the page's inside the Qwidget). */
  origin: string;
  libraryName: string;
  alternatives: Alternatives;
  /** Called when the chat is over and the patron dismisses it. */
  onFinished?: () => void;
}

function useElapsed(since: number | null): string {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (since === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [since]);
  if (since === null) return "";
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function ChatWindow(props: ChatWindowProps) {
  const [snap, setSnap] = useState<SessionSnapshot | null>(null);
  const connection = useMemo(
    () => new SessionConnection({ url: socketUrl(`/api/chats/${props.sessionId}/socket`, props.origin), token: props.token, onChange: setSnap }),
    [props.sessionId, props.token, props.origin],
  );
  useEffect(() => () => connection.close(), [connection]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const session = snap?.session ?? null;
  const status = session?.status ?? null;
  const waited = useElapsed(status === "waiting" ? (session?.createdAt ?? null) : null);
  const [confirmingEnd, setConfirmingEnd] = useState(false);

  return (
    <section class="chat-window" aria-labelledby="chat-heading">
      <header class="chat-header">
        <h1 id="chat-heading" tabIndex={-1} ref={heading}>
          Chat with {props.libraryName}
        </h1>
        <p class="chat-status" role="status">
          {statusLine(snap, waited)}
        </p>
      </header>

      {status === "unavailable" ? <Unavailable {...props} /> : null}

      {snap && status !== "unavailable" ? (
        <Transcript messages={snap.messages} pending={snap.pending} synced={snap.synced} me="patron" myName={session?.patronName ?? "You"} label="Chat messages" />
      ) : null}

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

      {status === "waiting" || status === "active" ? (
        <>
          <Composer
            id="patron-message"
            label={status === "waiting" ? "Add details while you wait" : "Your message"}
            placeholder={status === "waiting" ? "Add more about your question while you wait…" : "Type your message…"}
            onSend={(text) => connection.send(text)}
            onTyping={(a) => connection.setTyping(a)}
          />
          {confirmingEnd ? (
            <div class="confirm" role="group" aria-labelledby="confirm-end">
              <p id="confirm-end">End this chat?</p>
              <button
                type="button"
                class="danger"
                onClick={() => {
                  connection.leave();
                  setConfirmingEnd(false);
                }}
              >
                Yes, end chat
              </button>
              <button type="button" onClick={() => setConfirmingEnd(false)}>
                Keep chatting
              </button>
            </div>
          ) : (
            <button type="button" class="end-chat" onClick={() => setConfirmingEnd(true)}>
              End chat
            </button>
          )}
        </>
      ) : null}

      {status === "ended" || status === "patron_left" ? (
        <div class="chat-ended">
          <p>This chat has ended. Thank you for asking {props.libraryName}.</p>
          {props.onFinished ? (
            <button type="button" onClick={props.onFinished}>
              Close
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function statusLine(snap: SessionSnapshot | null, waited: string): string {
  if (!snap || snap.connection === "connecting") return "Connecting…";
  if (snap.connection === "reconnecting") return "Connection lost. Reconnecting…";
  const s = snap.session;
  if (!s) return "Connecting…";
  switch (s.status) {
    case "waiting":
      return `Finding a librarian for you (waiting ${waited}). You can add details while you wait.`;
    case "active":
      return `You are chatting with ${s.librarian?.name ?? "a librarian"}.`;
    case "patron_left":
      return "You left the chat.";
    case "unavailable":
      return "No librarian is available to chat right now.";
    case "ended":
      return "The chat has ended.";
  }
}

function Unavailable({ sessionId, token, origin, alternatives: alt }: ChatWindowProps) {
  const [state, setState] = useState<"form" | "sending" | "sent">("form");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    setState("sending");
    const res = await fetch(new URL(`/api/chats/${sessionId}/leave-question`, origin), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ email: data.get("email"), details: data.get("details") || undefined }),
    }).catch(() => null);
    if (res?.ok) {
      setState("sent");
      return;
    }
    const body = (await res?.json().catch(() => null)) as { error?: { message: string; field?: string } } | null;
    setError(body?.error ?? { message: "Could not send your question. Please try again." });
    setState("form");
  };
  return (
    <div class="unavailable">
      <p>{alt.message}</p>
      <h2>Other ways to get help</h2>
      <ul>
        {alt.email ? (
          <li>
            E-mail: <a href={`mailto:${alt.email}`}>{alt.email}</a>
          </li>
        ) : null}
        {alt.phone ? <li>Phone: {alt.phone}</li> : null}
        {alt.hours ? <li>Hours: {alt.hours}</li> : null}
        {alt.links.map((l) => (
          <li key={l.url}>
            <a href={l.url} target="_blank" rel="noopener noreferrer">
              {l.label}
            </a>
          </li>
        ))}
      </ul>
      {state === "sent" ? (
        <p class="confirmation" role="status">
          Thank you. Your question has been sent to the library; a librarian will answer by e-mail.
        </p>
      ) : (
        <form class="stack" onSubmit={submit} noValidate>
          <h2>Leave your question by e-mail</h2>
          {error ? (
            <p class="form-error" role="alert" id="leave-error">
              {error.message}
            </p>
          ) : null}
          <div class="field">
            <label for="leave-email">Your e-mail</label>
            <input
              id="leave-email"
              name="email"
              type="email"
              required
              autoComplete="email"
              aria-invalid={error?.field === "email" ? "true" : undefined}
              aria-describedby={error ? "leave-error" : undefined}
            />
          </div>
          <div class="field">
            <label for="leave-details">
              More details <span class="optional">(optional)</span>
            </label>
            <textarea id="leave-details" name="details" rows={3} />
          </div>
          <button type="submit" class="primary" disabled={state === "sending"}>
            Send my question
          </button>
        </form>
      )}
    </div>
  );
}
