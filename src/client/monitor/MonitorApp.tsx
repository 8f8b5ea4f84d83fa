/**
 * The chat monitor, the librarian's workspace for a shift: status and queues
 * (with live presence and whose shift it is), waiting patrons (compact rows,
 * oldest first, ticking; a chime, the title, the tab's icon and — while the
 * monitor is hidden — a desktop notification on a new one), one-click Accept,
 * the chats being served as tabs (the conversation filling the height, the
 * message box at the bottom, the patron's details beside it and foldable),
 * staff chat (foldable), direct messages to any colleague of the library or
 * its cooperatives with their presence (foldable), invitations to help in a
 * colleague's chat (consults), an alert when the librarian's library's shift
 * has begun and they are not online on it, and a keyboard shortcut for every
 * action ("?" lists them).
 *
 * A reload or a dropped connection loses nothing: the monitored queues and the
 * status are remembered in this browser, the queues resend their requests,
 * presence and staff messages, /api/me/sessions lists the chats being served,
 * and each chat resumes from its last message.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { GroupCoverageView, ShiftAlertView } from "../../shared/coverage-view";
import { nameInText } from "../../shared/display-text";
import type { ChatMessage, DirectMessage, QueuedRequest, SessionView } from "../../shared/protocol";
import type { ScriptView } from "../../shared/scripts";
import { api } from "./api";
import { ConsultInvitations } from "./ConsultInvitations";
import { DirectMessages, type ColleagueView } from "./DirectMessages";
import { HelpDialog } from "./HelpDialog";
import { badgeIcon, directAlert, directMessageAlert, requestAlert, shouldNotify, type DesktopAlert, type NotificationAccess } from "./alerts";
import { notificationAccess, setIcon, showNotification } from "./notifications";
import { activeChat, preferences, SHIFT_STATUS_LABELS, SHIFT_STATUSES, type ShiftStatus } from "./preferences";
import { applyQueueFrame, colleagues, consultInvitations, dropQueue, dropRequest, emptyQueueModel, queueForDirect, staffConversation, waitingList, type QueueModel } from "./queue-model";
import { QueuePanel } from "./QueuePanel";
import { SessionPane, type OpenSession, type PaneAction, type PaneCommand, type SessionInfo } from "./SessionPane";
import { SessionTabs } from "./SessionTabs";
import { ariaKeys, matchShortcut } from "./shortcuts";
import { playChime, unlockSound } from "./sound";
import { StaffChat, type StaffTarget } from "./StaffChat";
import { useQueueSockets } from "./use-queue-sockets";
import { WaitingList } from "./WaitingList";

export interface MonitorBootstrap {
  librarian: { id: string; displayName: string; libraryId: string; libraryName: string };
  queues: { id: string; kind: "library" | "group"; name: string }[];
}

function initialMonitoring(boot: MonitorBootstrap): string[] {
  const saved = preferences.monitoring(boot.librarian.id);
  if (saved) return saved.filter((q) => boot.queues.some((b) => b.id === q));
  return boot.queues.filter((q) => q.kind === "library").map((q) => q.id);
}

function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(el.type);
}

export function MonitorApp({ boot }: { boot: MonitorBootstrap }) {
  const me = boot.librarian;
  const [monitoring, setMonitoring] = useState<string[]>(() => initialMonitoring(boot));
  const [shift, setShift] = useState<ShiftStatus>(() => preferences.status(me.id) ?? "online");
  const [muted, setMuted] = useState(() => preferences.muted(me.id));
  const [model, setModel] = useState<QueueModel>(emptyQueueModel);
  const [sessions, setSessions] = useState<OpenSession[]>([]);
  const [info, setInfo] = useState<Record<string, SessionInfo>>({});
  const [activeTab, setActiveTab] = useState<string | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [justAccepted, setJustAccepted] = useState<string | null>(null);
  const [command, setCommand] = useState<PaneCommand | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [alert, setAlert] = useState("");
  const [staffError, setStaffError] = useState<string | null>(null);
  const [staffSeen, setStaffSeen] = useState(0);
  const [scripts, setScripts] = useState<ScriptView[]>([]);
  const [detailsOpen, setDetailsOpen] = useState(() => preferences.panel(me.id, "details"));
  const [staffOpen, setStaffOpen] = useState(() => preferences.panel(me.id, "staff"));
  const [directOpen, setDirectOpen] = useState(() => preferences.panel(me.id, "direct"));
  const [directory, setDirectory] = useState<ColleagueView[] | null>(null);
  const [directLive, setDirectLive] = useState<DirectMessage[]>([]);
  const [joining, setJoining] = useState<string | null>(null);
  const [notifyOn, setNotifyOn] = useState(() => preferences.notify(me.id));
  const [access, setAccess] = useState<NotificationAccess>(notificationAccess);
  const [coverage, setCoverage] = useState<GroupCoverageView[]>([]);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const [helpOpen, setHelpOpen] = useState(false);
  const [unseenArrival, setUnseenArrival] = useState(false);
  const [now, setNow] = useState(Date.now());

  const liveQueues = shift === "offline" ? [] : monitoring;
  const sockets = useQueueSockets(liveQueues, shift === "offline" ? "online" : shift, (frame) => {
    if (frame.type === "error") setStaffError(frame.message);
    // A direct message comes on every queue the librarian monitors: kept once.
    if (frame.type === "direct.message") return setDirectLive((all) => (all.some((m) => m.id === frame.message.id) ? all : [...all, frame.message]));
    setModel((m) => applyQueueFrame(m, frame, me.id));
  });

  const waiting = useMemo(() => waitingList(model, me.id), [model]);
  const invitations = useMemo(() => consultInvitations(model, me.id), [model]);
  const others = useMemo(() => colleagues(model, me.id), [model]);
  const staffMessages = useMemo(() => staffConversation(model), [model]);
  const liveQueueList = boot.queues.filter((q) => liveQueues.includes(q.id));

  // Forget what a queue showed once it is no longer monitored.
  useEffect(() => {
    setModel((m) => Object.keys({ ...m.requests, ...m.monitors, ...m.staff }).filter((q) => !liveQueues.includes(q)).reduce(dropQueue, m));
  }, [liveQueues.join("|")]);

  useEffect(() => preferences.setMonitoring(me.id, monitoring), [monitoring]);
  useEffect(() => preferences.setStatus(me.id, shift), [shift]);
  useEffect(() => preferences.setMuted(me.id, muted), [muted]);
  useEffect(() => preferences.setNotify(me.id, notifyOn), [notifyOn]);
  useEffect(() => preferences.setPanel(me.id, "details", detailsOpen), [detailsOpen]);
  useEffect(() => preferences.setPanel(me.id, "staff", staffOpen), [staffOpen]);
  useEffect(() => preferences.setPanel(me.id, "direct", directOpen), [directOpen]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const rememberedConsults = useRef(preferences.consults(me.id));
  // The chats this librarian is serving (after a reload, too) and the library's canned messages.
  useEffect(() => {
    void api<{ sessions: OpenSession[] }>("/api/me/sessions").then((r) => {
      if (!r.ok) return setAlert(r.error.message);
      setSessions((list) => [...list, ...r.data.sessions.filter((s) => !list.some((x) => x.sessionId === s.sessionId))]);
      // Back to the chat that was on show before the reload, if it is still open.
      const remembered = activeChat.get();
      const restored = r.data.sessions.some((s) => s.sessionId === remembered) ? remembered : null;
      setActiveTab((t) => t ?? restored ?? r.data.sessions[0]?.sessionId ?? null);
    });
    void api<{ cannedMessages: ScriptView[] }>("/api/canned-messages").then((r) => r.ok && setScripts(r.data.cannedMessages));
    // Colleagues' chats this librarian was helping in, if they still are.
    for (const sessionId of rememberedConsults.current) {
      void api<{ session: SessionView }>(`/api/chats/${sessionId}`).then((r) => {
        const s = r.ok ? r.data.session : null;
        if (!s || !s.consultants?.some((c) => c.id === me.id) || (s.status !== "active" && s.status !== "patron_left")) return;
        setSessions((list) => (list.some((x) => x.sessionId === s.id) ? list : [...list, { sessionId: s.id, patronName: s.patronName, question: s.question, libraryName: s.libraryName, consult: true }]));
        setActiveTab((t) => (activeChat.get() === s.id ? s.id : (t ?? s.id)));
      });
    }
  }, []);
  useEffect(() => {
    const helping = sessions.filter((s) => s.consult).map((s) => s.sessionId);
    // Until the remembered ones have been looked at, keep them too.
    preferences.setConsults(me.id, [...new Set([...helping, ...rememberedConsults.current])]);
    rememberedConsults.current = [];
  }, [sessions.map((s) => s.sessionId).join("|")]);

  // Whose shift it is on each cooperative queue, and whether this librarian is missing their library's:
  // asked every minute, and soon after they change their status or queues (presence takes a moment).
  const loadCoverage = () => void api<{ groups: GroupCoverageView[] }>("/api/coverage/now").then((r) => r.ok && setCoverage(r.data.groups));
  useEffect(() => {
    loadCoverage();
    const t = setInterval(loadCoverage, 60_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const t = setTimeout(loadCoverage, 1500);
    return () => clearTimeout(t);
  }, [shift, liveQueues.join("|")]);
  const coverageByQueue = useMemo(() => Object.fromEntries(coverage.map((g) => [g.queueId, g])), [coverage]);
  const alertKey = (a: ShiftAlertView) => `${a.groupId}@${a.startsAt}`;
  const shiftAlerts = coverage.flatMap((g) => (g.alert && !dismissed.includes(alertKey(g.alert)) ? [g.alert] : []));


  // Desktop notifications, as the librarian allows them (./notifications.ts decides when).
  const notify = (alert: DesktopAlert) => {
    if (shouldNotify(alert.kind, { enabled: notifyOn, access: notificationAccess(), hidden: document.hidden, status: shift })) showNotification(alert);
  };
  const turnOnNotifications = async () => {
    if (notificationAccess() === "default") setAccess(await Notification.requestPermission());
    else setAccess(notificationAccess());
    setNotifyOn(true);
  };

  // A new request: chime (unless muted), a notification, and, when the window is not in front, the title says so.
  const arrivals = useRef(model.arrivals);
  const known = useRef(new Set<string>());
  useEffect(() => {
    const fresh = waiting.filter((r) => !known.current.has(r.sessionId));
    known.current = new Set(waiting.map((r) => r.sessionId));
    if (model.arrivals <= arrivals.current) return;
    arrivals.current = model.arrivals;
    if (!muted) playChime();
    if (document.hidden || !document.hasFocus()) setUnseenArrival(true);
    for (const r of fresh) notify(requestAlert(r));
  }, [waiting]);

  // An invitation to help in a colleague's chat: said in the status line, chimed, and notified while hidden.
  const invited = useRef(new Set<string>());
  useEffect(() => {
    for (const r of invitations) {
      if (invited.current.has(r.consult!.id)) continue;
      invited.current.add(r.consult!.id);
      say(`${nameInText(r.consult!.from.name)} asks you to help with the chat with ${nameInText(r.patronName)}. Join or decline under Invitations to help.`);
      if (!muted) playChime();
      notify(requestAlert(r));
    }
  }, [invitations.map((r) => r.consult!.id).join("|")]);

  // Colleagues in reach, their presence and unread direct messages: on opening, whenever a message comes, and —
  // only while the panel is open, since presence is read from every queue in reach — every half minute.
  const loadDirectory = () => void api<{ colleagues: ColleagueView[] }>("/api/staff/colleagues").then((r) => r.ok && setDirectory(r.data.colleagues));
  useEffect(() => {
    loadDirectory();
    if (!directOpen) return;
    const t = setInterval(loadDirectory, 30_000);
    return () => clearInterval(t);
  }, [directOpen]);
  const directSeen = useRef(0);
  useEffect(() => {
    const fresh = directLive.slice(directSeen.current);
    directSeen.current = directLive.length;
    const incoming = fresh.filter((m) => m.to.id === me.id && m.from.id !== me.id);
    if (incoming.length === 0) return;
    loadDirectory();
    for (const m of incoming) notify(directMessageAlert(m));
  }, [directLive.length]);
  const directUnread = (directory ?? []).reduce((n, c) => n + c.unread, 0);

  // A direct staff message from a colleague.
  const staffSeenCount = useRef(model.staffArrivals);
  useEffect(() => {
    const added = model.staffArrivals - staffSeenCount.current;
    staffSeenCount.current = model.staffArrivals;
    if (added <= 0) return;
    for (const m of staffMessages.slice(-added)) if (m.to?.id === me.id && m.from.id !== me.id) notify(directAlert(m));
  }, [model.staffArrivals]);

  // Their library's shift has begun and they are not online on it: once per shift.
  const alerted = useRef(new Set<string>());
  useEffect(() => {
    for (const a of shiftAlerts) {
      if (alerted.current.has(alertKey(a))) continue;
      alerted.current.add(alertKey(a));
      notify({ kind: "coverage", title: `Your shift on ${a.groupName}`, body: a.message, tag: `coverage:${alertKey(a)}` });
    }
  }, [shiftAlerts.map(alertKey).join("|")]);
  useEffect(() => {
    const seen = () => !document.hidden && setUnseenArrival(false);
    const unlock = () => unlockSound();
    window.addEventListener("focus", seen);
    document.addEventListener("visibilitychange", seen);
    document.addEventListener("pointerdown", unlock, { once: true });
    document.addEventListener("keydown", unlock, { once: true });
    return () => {
      window.removeEventListener("focus", seen);
      document.removeEventListener("visibilitychange", seen);
    };
  }, []);

  const totalUnread = Object.values(unread).reduce((a, b) => a + b, 0);
  const needCodes = sessions.filter((s) => !s.consult && info[s.sessionId]?.status === "patron_left").length;
  useEffect(() => {
    const parts = [waiting.length ? `${waiting.length} waiting` : "", totalUnread ? `${totalUnread} unread` : "", directUnread ? `${directUnread} direct` : ""].filter(Boolean);
    document.title = `${unseenArrival ? "New request! " : ""}${parts.length ? `(${parts.join(", ")}) ` : ""}Chat monitor — Refdesk`;
    setIcon(badgeIcon(waiting.length + totalUnread + directUnread));
  }, [waiting.length, totalUnread, directUnread, unseenArrival]);

  const say = (text: string) => {
    setAlert("");
    setNotice(text);
  };
  const warn = (text: string) => {
    setNotice("");
    setAlert(text);
  };

  const selectTab = (sessionId: string) => {
    setActiveTab(sessionId);
    // A librarian who moves to another chat before the one just accepted is ready keeps their place:
    // the caret no longer jumps into the accepted chat's message box when it loads.
    setJustAccepted((j) => (j === sessionId ? j : null));
    setUnread((u) => ({ ...u, [sessionId]: 0 }));
  };

  const accept = async (r: QueuedRequest) => {
    if (accepting) return;
    setAccepting(r.sessionId);
    const res = await api<{ session: { id: string; patronName: string; question: string; libraryName: string } }>(`/api/chats/${r.sessionId}/accept`, { method: "POST" });
    setAccepting(null);
    if (!res.ok) {
      // Someone else was first (or the patron left): the row goes at once, whatever the queue says later.
      setModel((m) => dropRequest(m, r.sessionId));
      const by = res.error.takenBy ?? model.takenBy[r.sessionId];
      warn(res.error.code === "already_taken" && by ? `${nameInText(by)} took the chat with ${nameInText(r.patronName)} first.` : res.error.message);
      return;
    }
    const s = res.data.session;
    setModel((m) => dropRequest(m, s.id));
    setSessions((list) => (list.some((x) => x.sessionId === s.id) ? list : [...list, { sessionId: s.id, patronName: s.patronName, question: s.question, libraryName: s.libraryName }]));
    selectTab(s.id);
    setJustAccepted(s.id);
    say(`You are now chatting with ${nameInText(s.patronName)}.`);
  };

  const decline = async (r: QueuedRequest) => {
    const res = await api(`/api/chats/${r.sessionId}/transfer/decline`, { method: "POST" });
    setModel((m) => dropRequest(m, r.sessionId));
    if (res.ok) say(`Declined the transfer of ${nameInText(r.patronName)}; it stays with ${r.transfer ? nameInText(r.transfer.from.name) : "the other librarian"}.`);
    else warn(res.error.message);
  };

  const joinConsult = async (r: QueuedRequest) => {
    if (joining) return;
    setJoining(r.sessionId);
    const res = await api(`/api/chats/${r.sessionId}/consult/accept`, { method: "POST" });
    setJoining(null);
    setModel((m) => dropRequest(m, r.sessionId));
    if (!res.ok) return warn(res.error.message);
    setSessions((list) => (list.some((x) => x.sessionId === r.sessionId) ? list : [...list, { sessionId: r.sessionId, patronName: r.patronName, question: r.question, libraryName: r.libraryName, consult: true }]));
    selectTab(r.sessionId);
    setJustAccepted(r.sessionId);
    say(`You joined ${nameInText(r.consult?.from.name ?? "your colleague")}'s chat with ${nameInText(r.patronName)} to help.`);
  };

  const declineConsult = async (r: QueuedRequest) => {
    const res = await api(`/api/chats/${r.sessionId}/consult/decline`, { method: "POST" });
    setModel((m) => dropRequest(m, r.sessionId));
    if (res.ok) say(`Declined to help with the chat with ${nameInText(r.patronName)}.`);
    else warn(res.error.message);
  };

  const closeSession = (sessionId: string, text: string) => {
    const index = sessions.findIndex((s) => s.sessionId === sessionId);
    const rest = sessions.filter((s) => s.sessionId !== sessionId);
    setSessions(rest);
    setUnread((u) => ({ ...u, [sessionId]: 0 }));
    const next = activeTab === sessionId ? (rest[Math.min(index, rest.length - 1)]?.sessionId ?? null) : activeTab;
    setActiveTab(next);
    say(text);
    // Keep keyboard focus somewhere useful: the next chat's tab, or the waiting list.
    setTimeout(() => (next ? document.getElementById(`tab-${next}`) : document.getElementById("waiting-heading"))?.focus(), 0);
  };

  // Panes report live messages from their own socket callbacks: read the tab in front at that moment.
  // Only a chat on show is remembered: clearing it at mount would forget the one to restore.
  useEffect(() => {
    if (activeTab) activeChat.set(activeTab);
  }, [activeTab]);
  const activeTabRef = useRef(activeTab);
  activeTabRef.current = activeTab;
  const onLiveMessage = (sessionId: string, m: ChatMessage) => {
    if (m.author.role !== "patron") return;
    if (sessionId !== activeTabRef.current || document.hidden) setUnread((u) => ({ ...u, [sessionId]: (u[sessionId] ?? 0) + 1 }));
  };

  const sendStaff = (target: StaffTarget, body: string, clientId: string): string | null => {
    const queueId = target.kind === "everyone" ? target.queueId : queueForDirect(model, target.librarianId, liveQueues);
    if (!queueId) return "That librarian is no longer monitoring any of your queues.";
    const sent = sockets.send(queueId, { type: "staff.send", clientId, body, to: target.kind === "direct" ? target.librarianId : null });
    setStaffError(null);
    return sent ? null : "Not connected to the queue right now. Try again in a moment.";
  };

  const toggleQueue = (queueId: string, on: boolean) => setMonitoring((list) => (on ? [...new Set([...list, queueId])] : list.filter((q) => q !== queueId)));
  /** From a shift alert: monitor the queue, and be online. */
  const takeShift = (a: ShiftAlertView) => {
    toggleQueue(a.queueId, true);
    if (shift === "offline" || shift === "away") setShift("online");
    say(`You are now monitoring ${nameInText(a.groupName)}.`);
  };

  // Keyboard shortcuts (the table is in shortcuts.ts; "?" shows it).
  const runShortcut = useRef<(e: KeyboardEvent) => void>(() => undefined);
  runShortcut.current = (e: KeyboardEvent) => {
    if (document.querySelector("dialog[open]")) return;
    const hit = matchShortcut(e, isTextField(e.target));
    if (!hit) return;
    e.preventDefault();
    const paneAction = (action: PaneAction) => {
      if (!activeTab) return warn("There is no open chat.");
      setCommand({ sessionId: activeTab, action, nonce: Date.now() });
    };
    switch (hit.id) {
      case "help":
        return setHelpOpen(true);
      case "accept":
        return waiting[0] ? void accept(waiting[0]) : say("Nobody is waiting.");
      case "chat-n": {
        const target = sessions[hit.index];
        if (!target) return say(`There is no chat ${hit.index + 1}.`);
        selectTab(target.sessionId);
        return document.getElementById(`tab-${target.sessionId}`)?.focus();
      }
      case "next-unread": {
        const start = sessions.findIndex((s) => s.sessionId === activeTab);
        const ordered = [...sessions.slice(start + 1), ...sessions.slice(0, start + 1)];
        const next = ordered.find((s) => (unread[s.sessionId] ?? 0) > 0);
        if (!next) return say("No unread messages.");
        selectTab(next.sessionId);
        return document.getElementById(`tab-${next.sessionId}`)?.focus();
      }
      case "message":
      case "link":
      case "push":
      case "cobrowse":
      case "scripts":
      case "transfer":
      case "end":
      case "details":
        return paneAction(hit.id);
      case "staff":
        setStaffOpen(true);
        return setTimeout(() => document.getElementById("staff-message")?.focus(), 0);
      case "waiting":
        return (document.querySelector<HTMLElement>(".waiting-item button") ?? document.getElementById("waiting-heading"))?.focus();
      case "status":
        return document.getElementById("shift-status")?.focus();
      case "sound":
        setMuted((m) => !m);
        return say(muted ? "Sound on for new requests." : "Sound off for new requests.");
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => runShortcut.current(e);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div class="monitor-layout">
      <section class="monitor-bar" aria-label="Your shift">
        <h1>Chat monitor</h1>
        <div class="field inline">
          <label for="shift-status">My status</label>
          <select id="shift-status" value={shift} aria-keyshortcuts={ariaKeys("status")} onChange={(e) => setShift((e.target as HTMLSelectElement).value as ShiftStatus)}>
            {SHIFT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {SHIFT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" aria-pressed={!muted} aria-keyshortcuts={ariaKeys("sound")} onClick={() => setMuted((m) => !m)}>
          Sound for new requests
        </button>
        {access === "unsupported" ? null : access === "denied" ? (
          <span class="help">Desktop notifications are blocked in this browser's settings.</span>
        ) : notifyOn && access === "granted" ? (
          <button type="button" aria-pressed="true" onClick={() => setNotifyOn(false)}>
            Desktop notifications
          </button>
        ) : (
          <button type="button" aria-pressed="false" onClick={() => void turnOnNotifications()}>
            Desktop notifications
          </button>
        )}
        <button type="button" aria-keyshortcuts={ariaKeys("help")} onClick={() => setHelpOpen(true)}>
          Keyboard shortcuts (?)
        </button>
        <div class="notices">
          <p class="notice" role="status" aria-live="polite">
            {notice}
          </p>
          <p class="notice notice-alert" role="alert">
            {alert}
          </p>
        </div>
      </section>
      <aside class="queues-panel" aria-label="Queues, waiting patrons and staff chat">
        <div class="shift-alerts" role="alert">
          {shiftAlerts.map((a) => (
            <div class="banner banner-warn shift-alert" key={alertKey(a)}>
              <p>{a.message}</p>
              <button type="button" class="primary" onClick={() => takeShift(a)}>
                Monitor <bdi>{a.groupName}</bdi> now
              </button>{" "}
              <button type="button" onClick={() => setDismissed((d) => [...d, alertKey(a)])}>
                Dismiss
              </button>
            </div>
          ))}
        </div>
        <QueuePanel
          queues={boot.queues}
          monitoring={monitoring}
          offline={shift === "offline"}
          states={sockets.states}
          monitors={model.monitors}
          meId={me.id}
          coverage={coverageByQueue}
          onToggle={toggleQueue}
        />
        <ConsultInvitations invitations={invitations} now={now} busy={joining} onJoin={(r) => void joinConsult(r)} onDecline={(r) => void declineConsult(r)} />
        <WaitingList waiting={waiting} now={now} monitoringAny={liveQueues.length > 0} accepting={accepting} onAccept={accept} onDecline={decline} />
        <StaffChat
          meId={me.id}
          messages={staffMessages}
          colleagues={others}
          queues={liveQueueList}
          unread={Math.max(0, model.staffArrivals - staffSeen)}
          error={staffError}
          onSeen={() => setStaffSeen(model.staffArrivals)}
          onSend={sendStaff}
          open={staffOpen}
          onOpen={setStaffOpen}
        />
        <DirectMessages meId={me.id} colleagues={directory} live={directLive} open={directOpen} onOpen={setDirectOpen} onChanged={loadDirectory} />
      </aside>
      <main id="main" class="sessions-panel" aria-label="Open chats" tabIndex={-1}>
        {needCodes > 0 ? (
          <p class="banner banner-warn">
            {needCodes === 1 ? "1 chat waits" : `${needCodes} chats wait`} for its codes: the patron left.
          </p>
        ) : null}
        {sessions.length === 0 ? (
          <p class="empty">No open chats. Accept a waiting patron to start.</p>
        ) : (
          <>
            <SessionTabs
              tabs={sessions.map((s) => ({
                sessionId: s.sessionId,
                patronName: s.patronName,
                unread: unread[s.sessionId] ?? 0,
                status: info[s.sessionId]?.status ?? s.status ?? null,
                transferring: !!info[s.sessionId]?.transfer,
              }))}
              active={activeTab}
              onSelect={selectTab}
            />
            {sessions.map((s) => (
              <SessionPane
                key={s.sessionId}
                open={s}
                visible={activeTab === s.sessionId}
                me={{ id: me.id, displayName: me.displayName }}
                scripts={scripts}
                colleagues={others}
                queues={boot.queues}
                command={command}
                focusWhenReady={justAccepted === s.sessionId}
                onLiveMessage={onLiveMessage}
                onInfo={(id, i) => setInfo((all) => ({ ...all, [id]: i }))}
                onEnded={closeSession}
                onNotice={say}
                detailsOpen={detailsOpen}
                onDetailsOpen={setDetailsOpen}
              />
            ))}
          </>
        )}
      </main>
      {helpOpen ? <HelpDialog onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
