/**
 * One chat the librarian is serving: the transcript (names and times), the
 * composer (Enter sends) with its tools — send a link, push a page, co-browse,
 * canned messages, transfer, end, files — the patron's details (with the co-browse
 * check), co-browsing while it lasts, and the states a chat can be in:
 * reconnecting, being transferred, left by the patron (waiting for its codes).
 * Consults: the owner invites a colleague to help, sees who is helping and can
 * let them go; a colleague helping writes, sends links and scripts, and
 * leaves — only the owner transfers, pushes pages, co-browses and ends.
 * Every frame is cleaned for display before it is shown, and names are
 * isolated (`<bdi>` in the page, `nameInText` in notices).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { cleanDisplayData, nameInText } from "../../shared/display-text";
import type { ChatMessage, Monitor, PageEvent, SessionStatus, SessionView } from "../../shared/protocol";
import { Composer } from "../shared/Composer";
import { ErrorLine } from "../shared/ErrorLine";
import { SessionConnection, socketUrl, type SessionSnapshot } from "../shared/session-connection";
import { Transcript } from "../shared/Transcript";
import { api } from "./api";
import { ChatFileControls, monitorFileRenderer } from "./ChatFiles";
import { CobrowsePanel } from "./CobrowsePanel";
import { ConsultDialog } from "./ConsultDialog";
import { EndDialog } from "./EndDialog";
import { LinkDialog } from "./LinkDialog";
import { PatronDetails } from "./PatronDetails";
import { PushDialog } from "./PushDialog";
import { drafts } from "./preferences";
import type { ScriptView } from "../../shared/scripts";
import { ScriptsDialog } from "./ScriptsDialog";
import { useScriptPicker } from "./ScriptPicker";
import { ariaKeys } from "./shortcuts";
import { TransferDialog } from "./TransferDialog";

export interface OpenSession {
  sessionId: string;
  patronName: string;
  question: string;
  libraryName: string;
  status?: SessionStatus;
  /** Joined to help a colleague who owns the chat (a consult). */
  consult?: boolean;
}

/** What the rest of the monitor needs to know about a chat (for its tab). */
export interface SessionInfo {
  status: SessionStatus | null;
  transfer: SessionView["transfer"];
}

export type PaneAction = "message" | "link" | "push" | "cobrowse" | "scripts" | "transfer" | "end" | "details";
export interface PaneCommand {
  sessionId: string;
  action: PaneAction;
  /** Changes with every command, so the same action twice runs twice. */
  nonce: number;
}

export interface SessionPaneProps {
  open: OpenSession;
  visible: boolean;
  me: { id: string; displayName: string };
  scripts: ScriptView[];
  colleagues: Monitor[];
  queues: { id: string; name: string }[];
  command: PaneCommand | null;
  /** Just accepted: put the caret in the message box as soon as it can be used. */
  focusWhenReady: boolean;
  onLiveMessage: (sessionId: string, m: ChatMessage) => void;
  onInfo: (sessionId: string, info: SessionInfo) => void;
  onEnded: (sessionId: string, notice: string) => void;
  onNotice: (text: string) => void;
  /** Whether the patron's details are shown beside the chat (one choice for every chat, remembered). */
  detailsOpen: boolean;
  onDetailsOpen: (open: boolean) => void;
}

/** Puts text into a textarea (at the caret, or in place of `start`…`end`) the way typing would, so its owner's input handler sees it. */
export function insertIntoTextarea(el: HTMLTextAreaElement, text: string, start: number = el.selectionStart ?? el.value.length, end: number = el.selectionEnd ?? el.value.length): void {
  el.value = el.value.slice(0, start) + text + el.value.slice(end);
  el.selectionStart = el.selectionEnd = start + text.length;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.focus();
}

type Dialog = "link" | "push" | "scripts" | "transfer" | "end" | "consult" | null;

export function SessionPane(props: SessionPaneProps) {
  const { open, visible, me } = props;
  const id = open.sessionId;
  const [snap, setSnap] = useState<SessionSnapshot | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const draftRestored = useRef(false);
  /** A script waiting to go into the message box once its dialog has closed (the page is inert while it is open). */
  const pendingInsert = useRef<ScriptView | null>(null);
  /** Co-browsing: where the shared page's events go (the live view, while it is open). */
  const pageEvents = useRef<((events: PageEvent[]) => void) | null>(null);
  const connection = useMemo(
    () =>
      new SessionConnection({
        url: socketUrl(`/api/chats/${id}/socket?as=librarian`),
        onChange: setSnap,
        onLiveMessage: (m) => props.onLiveMessage(id, m),
        onPageEvents: (events) => pageEvents.current?.(events),
        // The shared page's events go to the replayer as recorded; everything else shows cleaned.
        clean: (frame) => (frame.type === "cobrowse.events" ? frame : cleanDisplayData(frame)),
      }),
    [id],
  );
  useEffect(() => () => connection.close(), [connection]);

  const session = snap?.session ?? null;
  const status = session?.status ?? open.status ?? null;
  const patronName = session?.patronName ?? open.patronName;
  /** The patron's name inside a notice's sentence. */
  const patron = nameInText(patronName);
  const canWrite = status === "active";
  const canEnd = status === "active" || status === "patron_left";
  const transfer = session?.transfer ?? null;
  const consultants = session?.consultants ?? [];
  /** Helping a colleague who owns the chat, rather than owning it. */
  const consulting = !!open.consult || consultants.some((c) => c.id === me.id);
  const owner = session?.librarian ?? null;
  const servedBySomeoneElse = !consulting && owner && owner.id !== me.id ? owner : null;
  const ownerOnly = (what: string) => props.onNotice(`Only ${owner ? nameInText(owner.name) : "the librarian who owns this chat"} can ${what}.`);
  const renderFile = useMemo(() => monitorFileRenderer(id), [id]);

  useEffect(() => props.onInfo(id, { status, transfer }), [status, transfer?.toName]);

  // Co-browsing: say when the patron declined, or when it ended.
  const cobrowse = snap?.cobrowse ?? null;
  const cobrowseStatus = cobrowse?.status ?? "off";
  const canCobrowse = canWrite && cobrowseStatus === "off" && !!snap?.check?.cobrowse.possible;
  const lastCobrowse = useRef(cobrowseStatus);
  useEffect(() => {
    const was = lastCobrowse.current;
    lastCobrowse.current = cobrowseStatus;
    if (cobrowseStatus !== "off") return;
    if (was === "requested" && status === "active") props.onNotice(`${patron} did not share their page (or you withdrew the request).`);
    if (was === "active" || was === "paused") props.onNotice(`Co-browsing with ${patron} ended.`);
  }, [cobrowseStatus]);
  const askToCobrowse = () => {
    if (!connection.sendFrame({ type: "cobrowse.request" })) props.onNotice("Not connected right now. Try again in a moment.");
  };

  // The chat was transferred and accepted: it is no longer ours.
  useEffect(() => {
    if (servedBySomeoneElse) props.onEnded(id, `${nameInText(servedBySomeoneElse.name)} accepted the chat with ${patron}.`);
  }, [servedBySomeoneElse?.id]);

  // The owner hears how an invitation to help ended when nobody joined on it.
  const lastInvite = useRef<string | null>(null);
  const inviteTo = session?.consultInvite?.toName ?? null;
  useEffect(() => {
    const was = lastInvite.current;
    lastInvite.current = inviteTo;
    if (consulting || !was || inviteTo) return;
    if (!consultants.some((c) => c.name === was)) props.onNotice(`${nameInText(was)} did not join the chat with ${patron} (declined, or no answer in time).`);
  }, [inviteTo]);

  // Helping: once the owner lets this librarian go (or they leave), the chat is no longer theirs to show.
  const wasHelping = useRef(false);
  useEffect(() => {
    if (!open.consult || !session) return;
    const helping = consultants.some((c) => c.id === me.id);
    if (helping) wasHelping.current = true;
    else if (wasHelping.current && session.status !== "ended") props.onEnded(id, `You are no longer helping with the chat with ${patron}.`);
  }, [consultants.map((c) => c.id).join("|"), !!session]);

  // Drafts survive a reload of this tab.
  useEffect(() => {
    const el = input.current;
    if (!canWrite || !el) return;
    if (!draftRestored.current) {
      draftRestored.current = true;
      const saved = drafts.get(id);
      if (saved && !el.value) insertIntoTextarea(el, saved);
    }
    const keep = () => drafts.set(id, el.value);
    el.addEventListener("input", keep);
    return () => el.removeEventListener("input", keep);
  }, [canWrite]);

  // In the same task as the render that made the chat ready: a plain effect runs later, and a key
  // pressed in between (Alt+Shift+1 to another chat) would have its focus taken back, then lost
  // to the page when this pane is hidden.
  useLayoutEffect(() => {
    if (canWrite && props.focusWhenReady && visible) input.current?.focus();
  }, [canWrite, props.focusWhenReady, visible]);

  // Commands from the keyboard shortcuts, each run once, by the chat they are for. One that comes
  // before the chat's state has arrived (a shortcut pressed right after Accept) waits for it.
  const handled = useRef(0);
  useEffect(() => {
    const c = props.command;
    if (!c || c.sessionId !== id || c.nonce === handled.current) return;
    const waits = c.action === "message" ? !canWrite && !snap : !snap && c.action !== "details";
    if (waits) return;
    handled.current = c.nonce;
    if (c.action === "message" && canWrite) {
      // Already focused, the box would not scroll by itself: a librarian who scrolled away (one
      // column at high zoom) is brought back to it.
      input.current?.focus();
      input.current?.scrollIntoView({ block: "nearest" });
    }
    else if (c.action === "details") {
      props.onDetailsOpen(true);
      setTimeout(() => document.getElementById(`details-${id}`)?.focus(), 0);
    }
    else if (consulting && (c.action === "cobrowse" || c.action === "push" || c.action === "transfer" || c.action === "end")) {
      ownerOnly(c.action === "end" ? "end it" : c.action === "transfer" ? "transfer it" : c.action === "push" ? "push a page" : "co-browse");
    }
    else if (c.action === "cobrowse") {
      if (canCobrowse) askToCobrowse();
      else props.onNotice(snap?.check?.cobrowse.note ?? "Co-browsing is not possible now.");
    }
    else if (c.action !== "message" && (c.action === "end" ? canEnd : canWrite)) setDialog(c.action);
    else props.onNotice(c.action === "end" ? "This chat cannot be ended now." : "This chat is not in progress.");
  }, [props.command?.nonce, snap !== null]);

  /** A script into the message box in place of `start`…`end`, its placeholders filled in for this chat (and its use counted). */
  const insertScript = async (script: ScriptView, start: number, end: number) => {
    const res = await api<{ text: string }>(`/api/canned-messages/${script.id}/use`, { method: "POST", body: { sessionId: id } });
    const el = input.current;
    if (el) insertIntoTextarea(el, res.ok ? res.data.text : script.body, start, end);
  };
  const picker = useScriptPicker({ id: `composer-${id}`, input, scripts: props.scripts, enabled: canWrite, insert: (s, start, end) => void insertScript(s, start, end) });

  useEffect(() => {
    const el = input.current;
    if (dialog !== null || pendingInsert.current === null || !el) return;
    void insertScript(pendingInsert.current, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length);
    pendingInsert.current = null;
  }, [dialog]);

  const send = (body: string) => {
    connection.send(body);
    drafts.set(id, "");
  };
  const leaveConsult = async () => {
    const res = await api(`/api/chats/${id}/consult/leave`, { method: "POST", body: {} });
    if (res.ok) props.onEnded(id, `You left the chat with ${patron}.`);
    else props.onNotice(res.error.message);
  };
  const letGo = async (c: { id: string; name: string }) => {
    const res = await api(`/api/chats/${id}/consult/leave`, { method: "POST", body: { librarianId: c.id } });
    props.onNotice(res.ok ? `${nameInText(c.name)} is no longer helping with the chat with ${patron}.` : res.error.message);
  };
  const cancelTransfer = async () => {
    const res = await api(`/api/chats/${id}/transfer/cancel`, { method: "POST" });
    props.onNotice(res.ok ? `Transfer cancelled; the chat with ${patron} stays with you.` : res.error.message);
  };

  return (
    <section class={`session-pane${props.detailsOpen ? "" : " details-closed"}`} hidden={!visible} id={`panel-${id}`} role="tabpanel" aria-labelledby={`tab-${id}`}>
      <div class="pane-main">
        <div class="pane-head">
          <h2 id={`pane-${id}`}>
            Chat with <bdi>{patronName}</bdi>
          </h2>
          <button type="button" class="small-toggle" aria-expanded={props.detailsOpen} aria-controls={`patron-panel-${id}`} onClick={() => props.onDetailsOpen(!props.detailsOpen)}>
            Patron details
          </button>
          <p class="session-question" title={open.question}>
            <strong>Question:</strong> <bdi>{open.question}</bdi>
          </p>
        </div>
        <div class="pane-status" role="status">
          {snap?.connection === "reconnecting" ? <p class="banner">Connection lost. Reconnecting… Nothing you send is lost.</p> : null}
          {status === "patron_left" ? (
            <p class="banner banner-warn">
              <bdi>{patronName}</bdi> has left. This chat waits for its codes.{" "}
              {consulting ? null : (
                <button type="button" class="primary" onClick={() => setDialog("end")}>
                  Choose codes and end
                </button>
              )}
            </p>
          ) : null}
          {transfer ? (
            <p class="banner">
              Being transferred to <bdi>{transfer.toName}</bdi>; it stays with you until {transfer.kind === "librarian" ? "they accept" : "someone there accepts"}.{" "}
              <button type="button" onClick={cancelTransfer}>
                Cancel transfer
              </button>
            </p>
          ) : null}
          {consulting && owner ? (
            <p class="banner">
              You are helping <bdi>{owner.name}</bdi>, who owns this chat and ends it.{" "}
              <button type="button" onClick={leaveConsult}>
                Leave the chat
              </button>
            </p>
          ) : null}
          {!consulting && consultants.length > 0 ? (
            <ul class="consultants banner" aria-label="Colleagues helping">
              {consultants.map((c) => (
                <li key={c.id}>
                  <bdi>{c.name}</bdi> is helping.{" "}
                  <button type="button" onClick={() => void letGo(c)}>
                    Let <bdi>{c.name}</bdi> go
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          {!consulting && session?.consultInvite ? (
            <p class="banner">
              Invited <bdi>{session.consultInvite.toName}</bdi> to help; waiting for an answer.
            </p>
          ) : null}
          {status === "ended" && !servedBySomeoneElse ? (
            <p class="banner">
              This chat has ended.{" "}
              <button type="button" onClick={() => props.onEnded(id, `Closed the chat with ${patron}.`)}>
                Close it
              </button>
            </p>
          ) : null}
        </div>
        {cobrowse && cobrowse.status !== "off" && canWrite ? (
          <CobrowsePanel sessionId={id} patronName={patronName} cobrowse={cobrowse} send={(f) => connection.sendFrame(f)} events={pageEvents} onNotice={props.onNotice} />
        ) : null}
        <div class="transcript-scroll" tabIndex={0} role="region" aria-label={`Conversation with ${patronName}`}>
          {snap ? (
            <Transcript messages={snap.messages} pending={snap.pending} synced={snap.synced} me="librarian" myName={me.displayName} label={`Chat with ${patronName}`} renderFile={renderFile} />
          ) : (
            <p class="loading">Connecting…</p>
          )}
        </div>
        <p class="typing" aria-hidden="true">
          {snap?.typing ? (
            <>
              <bdi>{snap.typing}</bdi> is typing…
            </>
          ) : (
            ""
          )}
        </p>
        <ErrorLine message={snap?.error} />
        <Composer
          id={`composer-${id}`}
          label={`Message to ${patronName}`}
          disabled={!canWrite}
          placeholder="Message — type / for scripts"
          onSend={send}
          onTyping={(a) => connection.setTyping(a)}
          inputRef={input}
          above={picker.above}
          onKey={picker.onKey}
          inputAttrs={picker.inputAttrs}
        >
          <button type="button" onClick={() => setDialog("link")} disabled={!canWrite} aria-keyshortcuts={ariaKeys("link")}>
            Send a link…
          </button>
          {consulting ? null : (
            <>
              <button type="button" onClick={() => setDialog("push")} disabled={!canWrite} aria-keyshortcuts={ariaKeys("push")}>
                Push a page…
              </button>
              <button type="button" onClick={askToCobrowse} disabled={!canCobrowse} aria-keyshortcuts={ariaKeys("cobrowse")} aria-describedby={snap?.check ? `cobrowse-note-${id}` : undefined}>
                Ask to co-browse
              </button>
            </>
          )}
          <button type="button" onClick={() => setDialog("scripts")} disabled={!canWrite} aria-keyshortcuts={ariaKeys("scripts")}>
            Canned messages…
          </button>
          {consulting ? null : (
            <>
              <button type="button" onClick={() => setDialog("consult")} disabled={!canWrite || !!session?.consultInvite}>
                Invite a colleague…
              </button>
              <button type="button" onClick={() => setDialog("transfer")} disabled={!canWrite || !!transfer} aria-keyshortcuts={ariaKeys("transfer")}>
                Transfer…
              </button>
              <button type="button" class="danger" onClick={() => setDialog("end")} disabled={!canEnd} aria-keyshortcuts={ariaKeys("end")}>
                End chat…
              </button>
            </>
          )}
        </Composer>
        <ChatFileControls sessionId={id} session={session} meId={me.id} canWrite={canWrite} onNotice={props.onNotice} />
      </div>
      <PatronDetails sessionId={id} panelId={`patron-panel-${id}`} hidden={!props.detailsOpen} notesVersion={session?.librarian?.id ?? ""} headingId={`details-${id}`} check={snap?.check ?? null} />
      {dialog === "link" ? <LinkDialog sessionId={id} patronName={patronName} onSend={send} onClose={() => setDialog(null)} /> : null}
      {dialog === "push" ? (
        <PushDialog
          sessionId={id}
          patronName={patronName}
          libraryId={session?.libraryId ?? null}
          scripts={props.scripts}
          onPushed={props.onNotice}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === "scripts" ? (
        <ScriptsDialog sessionId={id} scripts={props.scripts} onClose={() => setDialog(null)} onPick={(script) => (pendingInsert.current = script)} />
      ) : null}
      {dialog === "transfer" ? (
        <TransferDialog
          sessionId={id}
          patronName={patronName}
          colleagues={props.colleagues}
          queues={props.queues}
          onClose={() => setDialog(null)}
          onTransferred={(toName) => props.onNotice(`Offered the chat with ${patron} to ${nameInText(toName)}. It stays with you until it is accepted.`)}
        />
      ) : null}
      {dialog === "consult" ? (
        <ConsultDialog
          sessionId={id}
          patronName={patronName}
          inChat={[me.id, ...consultants.map((c) => c.id)]}
          onClose={() => setDialog(null)}
          onInvited={(name) => props.onNotice(`Invited ${nameInText(name)} to help with the chat with ${patron}.`)}
        />
      ) : null}
      {dialog === "end" ? (
        <EndDialog
          sessionId={id}
          patronName={patronName}
          patronLeft={status === "patron_left"}
          onCancel={() => setDialog(null)}
          onEnded={() => {
            setDialog(null);
            drafts.set(id, "");
            props.onEnded(id, `Chat ended and saved. (${patron})`);
          }}
        />
      ) : null}
    </section>
  );
}
