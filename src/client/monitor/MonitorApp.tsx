/**
 * The chat monitor: which queues the librarian is monitoring, the waiting
 * patrons of those queues (oldest first, wait time ticking), Accept, and the
 * sessions being served, as tabs. Monitoring choices and open sessions come
 * back after a reload.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ChatMessage, QueueServerMessage } from "../../shared/protocol";
import { ReconnectingSocket, socketUrl, type SocketState } from "../shared/reconnecting-socket";
import { api } from "./api";
import { applyQueueFrame, dropQueue, emptyQueueModel, secondsWaiting, waitingList, type QueueModel } from "./queue-model";
import { SessionPane, type OpenSession } from "./SessionPane";

export interface MonitorBootstrap {
  librarian: { id: string; displayName: string; libraryId: string; libraryName: string };
  queues: { id: string; kind: "library" | "group"; name: string }[];
}

function formatWait(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

const monitoringKey = (librarianId: string) => `refdesk.monitoring.${librarianId}`;

function loadMonitoring(boot: MonitorBootstrap): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(monitoringKey(boot.librarian.id)) ?? "null") as string[] | null;
    if (saved) return saved.filter((q) => boot.queues.some((b) => b.id === q));
  } catch {
    // Fall through to the default.
  }
  return boot.queues.filter((q) => q.kind === "library").map((q) => q.id);
}

export function MonitorApp({ boot }: { boot: MonitorBootstrap }) {
  const me = boot.librarian;
  const [monitoring, setMonitoring] = useState<string[]>(() => loadMonitoring(boot));
  const [model, setModel] = useState<QueueModel>(emptyQueueModel);
  const [queueState, setQueueState] = useState<Record<string, SocketState | "open">>({});
  const [sessions, setSessions] = useState<OpenSession[]>([]);
  const [activeTab, setActiveTab] = useState<string | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [notice, setNotice] = useState("");
  const [now, setNow] = useState(Date.now());
  const sockets = useRef(new Map<string, ReconnectingSocket>());

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Sessions this librarian was already serving (after a reload).
  useEffect(() => {
    void api<{ sessions: OpenSession[] }>("/api/me/sessions").then((r) => {
      if (!r.ok) return;
      setSessions(r.data.sessions);
      if (r.data.sessions[0]) setActiveTab(r.data.sessions[0].sessionId);
    });
  }, []);

  // One socket per monitored queue; closing it with 1000 tells the queue we stopped on purpose.
  useEffect(() => {
    localStorage.setItem(monitoringKey(me.id), JSON.stringify(monitoring));
    for (const queueId of monitoring) {
      if (sockets.current.has(queueId)) continue;
      sockets.current.set(
        queueId,
        new ReconnectingSocket({
          url: socketUrl(`/api/queues/${encodeURIComponent(queueId)}/socket`),
          onOpen: () => undefined,
          onFrame: (frame) => {
            const f = frame as QueueServerMessage;
            if (f.type === "queue.snapshot") setQueueState((s) => ({ ...s, [queueId]: "open" }));
            setModel((m) => applyQueueFrame(m, f, me.id));
          },
          onState: (state) => setQueueState((s) => ({ ...s, [queueId]: state })),
        }),
      );
    }
    for (const [queueId, socket] of sockets.current) {
      if (monitoring.includes(queueId)) continue;
      socket.close();
      sockets.current.delete(queueId);
      setModel((m) => dropQueue(m, queueId));
    }
  }, [monitoring]);
  useEffect(() => () => sockets.current.forEach((s) => s.close()), []);

  const waiting = useMemo(() => waitingList(model), [model]);
  useEffect(() => {
    document.title = waiting.length ? `(${waiting.length}) Chat monitor — Refdesk` : "Chat monitor — Refdesk";
  }, [waiting.length]);

  // Tell the librarian when someone else took a request they were looking at.
  const lastTaken = model.takenByOthers[model.takenByOthers.length - 1];
  useEffect(() => {
    if (lastTaken) setNotice(`${lastTaken.by} took the request “${lastTaken.question.slice(0, 60)}”.`);
  }, [lastTaken?.sessionId]);

  const accept = async (sessionId: string) => {
    const request = waiting.find((r) => r.sessionId === sessionId);
    const res = await api<{ session: { id: string; patronName: string; question: string; libraryName: string } }>(`/api/chats/${sessionId}/accept`, { method: "POST" });
    if (!res.ok) {
      setNotice(res.error.takenBy ? `Already taken by ${res.error.takenBy}.` : res.error.message);
      return;
    }
    const s = res.data.session;
    setSessions((list) => (list.some((x) => x.sessionId === s.id) ? list : [...list, { sessionId: s.id, patronName: s.patronName, question: s.question, libraryName: s.libraryName }]));
    setActiveTab(s.id);
    setNotice(`You are now chatting with ${request?.patronName ?? s.patronName}.`);
  };

  const onLiveMessage = (sessionId: string, m: ChatMessage) => {
    if (m.author.role === "patron" && sessionId !== activeTab) setUnread((u) => ({ ...u, [sessionId]: (u[sessionId] ?? 0) + 1 }));
  };

  const toggleQueue = (queueId: string, on: boolean) => setMonitoring((list) => (on ? [...new Set([...list, queueId])] : list.filter((q) => q !== queueId)));

  return (
    <div class="monitor-layout">
      <header class="monitor-header">
        <h1>Chat monitor</h1>
        <p>
          {me.displayName}, {me.libraryName}
        </p>
        <a href="/questions">Questions</a>
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <div class="notice" role="status" aria-live="polite">
        {notice}
      </div>
      <aside class="queues-panel" aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        <ul class="queue-toggles">
          {boot.queues.map((q) => {
            const on = monitoring.includes(q.id);
            const state = queueState[q.id];
            const monitors = model.monitors[q.id] ?? [];
            return (
              <li key={q.id}>
                <input type="checkbox" id={`q-${q.id}`} checked={on} onChange={(e) => toggleQueue(q.id, (e.target as HTMLInputElement).checked)} />
                <label for={`q-${q.id}`}>
                  Monitor {q.name} {q.kind === "group" ? "(cooperative)" : ""}
                </label>
                {on ? (
                  <span class="queue-state">
                    {state === "reconnecting" ? " — reconnecting…" : ` — ${monitors.length} monitoring`}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
        <h2 id="waiting-heading">Waiting patrons ({waiting.length})</h2>
        {waiting.length === 0 ? (
          <p>{monitoring.length ? "Nobody is waiting." : "Turn on a queue to see waiting patrons."}</p>
        ) : (
          <ul class="waiting-list" aria-labelledby="waiting-heading">
            {waiting.map((r) => (
              <li key={r.sessionId} class="waiting-item">
                <p class="waiting-meta">
                  <strong>{r.patronName}</strong> · {r.libraryName} · waiting <span class="wait-time">{formatWait(secondsWaiting(r, now))}</span>
                </p>
                <p class="waiting-question">{r.question}</p>
                {r.preview.length ? (
                  <ul class="preview" aria-label="Added while waiting">
                    {r.preview.map((p, i) => (
                      <li key={i}>{p}</li>
                    ))}
                  </ul>
                ) : null}
                <button type="button" class="primary" onClick={() => accept(r.sessionId)} aria-label={`Accept ${r.patronName}: ${r.question.slice(0, 80)}`}>
                  Accept
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <main class="sessions-panel">
        {sessions.length === 0 ? (
          <p class="empty">No open chats. Accept a waiting patron to start.</p>
        ) : (
          <>
            <div role="tablist" aria-label="Open chats" class="session-tabs">
              {sessions.map((s) => (
                <button
                  key={s.sessionId}
                  role="tab"
                  id={`tab-${s.sessionId}`}
                  aria-selected={activeTab === s.sessionId}
                  aria-controls={`panel-${s.sessionId}`}
                  tabIndex={activeTab === s.sessionId ? 0 : -1}
                  onClick={() => {
                    setActiveTab(s.sessionId);
                    setUnread((u) => ({ ...u, [s.sessionId]: 0 }));
                  }}
                >
                  {s.patronName}
                  {unread[s.sessionId] ? <span class="badge"> ({unread[s.sessionId]} unread)</span> : null}
                </button>
              ))}
            </div>
            {sessions.map((s) => (
              <SessionPane
                key={s.sessionId}
                open={s}
                visible={activeTab === s.sessionId}
                myName={me.displayName}
                onLiveMessage={onLiveMessage}
                onEnded={(id) => {
                  setSessions((list) => list.filter((x) => x.sessionId !== id));
                  setActiveTab((t) => (t === id ? null : t));
                  setNotice("Chat ended and saved.");
                }}
              />
            ))}
          </>
        )}
      </main>
    </div>
  );
}
