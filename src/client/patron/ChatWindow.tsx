/**
 * The patron's chat window: waiting (how long so far, the library's wait
 * limit, an invitation to add details), chatting (names, times, typing, links,
 * the transcript choice, end chat), unavailable (the library's alternatives and
 * "leave your question by e-mail"), and ended (a short rating). Used by the
 * hosted chat page and inside the Qwidget.
 *
 * Screen readers hear each change of state once (the status line is a polite
 * live region holding only stable text; the ticking wait time sits outside
 * it) and each new message once (Transcript's role="log").
 *
 * Everything about the viewport and co-browsing lives in
 * ./extras/PatronExtras, imported as the window shows (a chunk of its own in
 * the Qwidget, whose first load has a byte budget) — and with it the parts
 * only an unavailable or finished chat needs (the alternatives, the rating).
 * The transcript choice belongs to a plain chat and comes with the window.
 * Files (sending them, showing them) are ./extras/PatronFiles, another chunk.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { PREACT_KIT } from "../shared/preact-host";
import type { ShareLoader } from "./extras/PatronExtras";
import type { Alternatives } from "../../shared/api";
import { Composer } from "../shared/Composer";
import { refusalKey } from "../../i18n/refusal-words";
import { t } from "../shared/i18n";
import type { SessionSnapshot } from "../shared/session-connection";
import { Transcript } from "../shared/Transcript";
import { patronChat } from "./patron-chat";
import { TranscriptChoice } from "./TranscriptChoice";

export type { Alternatives };

export interface ChatWindowProps {
  sessionId: string;
  token: string;
  /** Origin of the Refdesk service (differs from the page's inside the Qwidget). */
  origin: string;
  libraryName: string;
  alternatives: Alternatives;
  /** After this long unanswered, the library's alternatives are shown instead. */
  waitLimitSeconds: number;
  /** "page": the hosted chat page; "widget": inside the Qwidget panel. Sets the level of the window's own headings. */
  place: "page" | "widget";
  /** Id of the heading that names the window (the page's h1, the panel's title). */
  labelledBy: string;
  /** Called when the chat is over and the patron dismisses it. */
  onFinished?: () => void;
  /** Put the cursor in the message box once it appears (the Qwidget, when the patron has just asked). */
  focusComposer?: boolean;
  /** The form's chat method: "viewport" shows pushed pages beside the chat. */
  chatMethod?: "chat" | "viewport";
  /** The Qwidget only: loads the co-browse recorder when the patron agrees to share the page. */
  share?: ShareLoader;
  /** The languages the patron may switch between (the switcher shows when there are two or more), the one shown, and what switching does. */
  languages?: { tag: string; name: string }[];
  language?: string;
  onLanguage?: (tag: string) => void;
}

/** The window's language switcher: each language by its own name. */
function LanguageSwitcher({ languages, language, onLanguage }: Required<Pick<ChatWindowProps, "languages" | "language" | "onLanguage">>) {
  if (languages.length < 2) return null;
  return (
    <div class="language-switcher">
      <label for="chat-language">{t("chat.language")}</label>
      <select id="chat-language" value={language} onChange={(e) => onLanguage(e.currentTarget.value)}>
        {languages.map((l) => (
          <option key={l.tag} value={l.tag} lang={l.tag}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
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
  const { sessionId, token, origin, libraryName, place } = props;
  const chat = useMemo(() => patronChat({ sessionId, token, origin }), [sessionId, token, origin]);
  const [snap, setSnap] = useState<SessionSnapshot | null>(chat.current);
  useEffect(() => {
    const off = chat.subscribe(setSnap);
    return () => (off(), chat.close());
  }, [chat]);
  const [extras, setExtras] = useState<typeof import("./extras/PatronExtras") | null>(null);
  useEffect(() => void import("./extras/PatronExtras").then((m) => (m.adoptPreact(PREACT_KIT), setExtras(m))), []);
  const [files, setFiles] = useState<typeof import("./extras/PatronFiles") | null>(null);
  useEffect(() => void import("./extras/PatronFiles").then((m) => (m.adoptPreact(PREACT_KIT), setFiles(m))), []);

  const renderFile = useMemo(() => files?.patronFileRenderer({ sessionId, token, origin }), [files, sessionId, token, origin]);
  const session = snap?.session ?? null;
  const status = session?.status ?? null;
  const over = status === "ended" || status === "patron_left";
  // Leaving the question by e-mail ends the session: keep showing its confirmation.
  const wasUnavailable = useRef(false);
  wasUnavailable.current ||= status === "unavailable";
  const showUnavailable = status === "unavailable" || (over && wasUnavailable.current);
  const sub = place === "page" ? "h2" : "h3";
  const waited = useElapsed(status === "waiting" ? (session?.createdAt ?? null) : null);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const composer = useRef<HTMLTextAreaElement>(null);
  const composerFocused = useRef(false);
  useEffect(() => {
    if (props.focusComposer && !composerFocused.current && composer.current) {
      composerFocused.current = true;
      composer.current.focus();
    }
  }, [status, props.focusComposer]);

  // When the chat ends or turns unavailable the composer goes away: if focus was
  // in the chat (and so is now lost), keep it in the chat, on what happened.
  const section = useRef<HTMLElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const lastStatus = useRef(status);
  useEffect(() => {
    const was = lastStatus.current;
    lastStatus.current = status;
    const composing = (x: typeof status) => x === "waiting" || x === "active";
    if (!composing(was) || composing(status) || !section.current) return;
    const active = (section.current.getRootNode() as Document | ShadowRoot).activeElement;
    if (!active || active === document.body || section.current.contains(active)) outcome.current?.focus();
  }, [status]);

  return (
    <section ref={section} class="chat-window" aria-labelledby={props.labelledBy}>
      <div class="chat-col">
      {props.languages && props.language && props.onLanguage ? <LanguageSwitcher languages={props.languages} language={props.language} onLanguage={props.onLanguage} /> : null}
      <p class={`chat-status${snap?.connection === "reconnecting" ? " reconnecting" : ""}`} role="status">
        {statusLine(snap)}
      </p>
      {status === "waiting" ? (
        <p class="wait-note">{t("chat.waitNote", { elapsed: waited, minutes: Math.max(1, Math.round(props.waitLimitSeconds / 60)) })}</p>
      ) : null}

      <div ref={outcome} tabIndex={-1} class="chat-outcome">
        {showUnavailable && extras ? <extras.Unavailable sessionId={sessionId} token={token} origin={origin} alternatives={props.alternatives} heading={sub} /> : null}
        {over ? (
          <div class="chat-ended">
            <p>{t("chat.thanks", { library: libraryName })}</p>
          </div>
        ) : null}
      </div>
      {extras && snap ? <extras.PatronExtras {...props} chat={chat} snap={snap} host={section} /> : null}

      {snap && !showUnavailable ? (
        <Transcript messages={snap.messages} pending={snap.pending} synced={snap.synced} me="patron" myName={session?.patronName ?? t("chat.you")} label={t("chat.messages")} renderFile={renderFile} />
      ) : null}

      {snap?.typing ? (
        <p class="typing" aria-hidden="true">
          {t("chat.typing", { name: snap.typing })}
        </p>
      ) : null}

      {snap?.error ? (
        <p class="form-error" role="alert">
          {t(refusalKey(snap.problem ?? {}))}
        </p>
      ) : null}

      {status === "waiting" || status === "active" ? (
        <>
          <Composer
            id="patron-message"
            label={t(status === "waiting" ? "chat.addDetails" : "chat.message")}
            placeholder={t(status === "waiting" ? "chat.addDetailsPlaceholder" : "chat.messagePlaceholder")}
            onSend={(text) => chat.send(text)}
            onTyping={(a) => chat.setTyping(a)}
            inputRef={composer}
          />
          {files && session?.filesAllowed !== false ? <files.PatronFileAttach sessionId={sessionId} token={token} origin={origin} /> : null}
          <div class="chat-actions">
            <TranscriptChoice choice={snap?.transcript ?? null} onChange={(send, email) => chat.setTranscript(send, email)} />
            {confirmingEnd ? (
              <div class="confirm" role="group" aria-labelledby="confirm-end">
                <p id="confirm-end">{t("chat.confirmEnd")}</p>
                <button
                  type="button"
                  class="danger"
                  onClick={() => {
                    chat.leave();
                    setConfirmingEnd(false);
                  }}
                >
                  {t("chat.yesEnd")}
                </button>
                <button type="button" onClick={() => setConfirmingEnd(false)}>
                  {t("chat.keepChatting")}
                </button>
              </div>
            ) : (
              <button type="button" class="end-chat" onClick={() => setConfirmingEnd(true)}>
                {t("chat.end")}
              </button>
            )}
          </div>
        </>
      ) : null}

      {/* Over — or never reached: a chat the service no longer knows must not hold the widget for good. */}
      {over || (!session && snap?.error) ? (
        <div class="chat-after">
          {session?.acceptedAt && extras ? <extras.RatingForm sessionId={sessionId} token={token} origin={origin} heading={sub} /> : null}
          {place === "widget" && extras ? <extras.ForgetBrowser libraryName={libraryName} /> : null}
          {props.onFinished ? (
            <button type="button" onClick={props.onFinished}>
              {t("chat.close")}
            </button>
          ) : null}
        </div>
      ) : null}
      </div>
    </section>
  );
}

/** One stable sentence per state: what the live region announces. Names are isolated where their direction differs. */
function statusLine(snap: SessionSnapshot | null) {
  if (snap?.connection === "reconnecting") return t("chat.reconnecting");
  const s = snap?.session;
  if (!s) return t("chat.connecting");
  switch (s.status) {
    case "waiting":
      return t("chat.waiting");
    case "active":
      return s.librarian ? t("chat.activeWith", { name: s.librarian.name }) : t("chat.active");
    case "patron_left":
      return t("chat.patronLeft");
    case "unavailable":
      return t("chat.unavailable");
    case "ended":
      return t("chat.ended");
  }
}
