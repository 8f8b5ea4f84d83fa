/**
 * The monitor's view of its queues, as a pure reducer over queue frames: easy
 * to test, and the one place that decides what the "waiting" list, the
 * presence lists and the staff chat show.
 *
 * A request can sit in more than one queue (a library's and a cooperative's);
 * it is shown once, under the oldest arrival. A transfer this librarian offered
 * is not theirs to accept, so it is left out of their waiting list.
 */
import { byMonitorName } from "../../shared/monitor-order";
import type { Monitor, QueuedRequest, QueueServerMessage, StaffMessage } from "../../shared/protocol";

export interface QueueModel {
  /** Waiting requests per queue id. */
  requests: Record<string, QueuedRequest[]>;
  monitors: Record<string, Monitor[]>;
  /** Staff messages per queue id, oldest first. */
  staff: Record<string, StaffMessage[]>;
  /** Counts requests that arrived live (not in a snapshot) for this librarian: the cue for sound and title. */
  arrivals: number;
  /** Counts staff messages from others that arrived live. */
  staffArrivals: number;
  /** Who accepted a request that left the queue, by session id (the latest few): the loser is told. */
  takenBy: Record<string, string>;
}

export const emptyQueueModel: QueueModel = { requests: {}, monitors: {}, staff: {}, arrivals: 0, staffArrivals: 0, takenBy: {} };

/** How many "taken by" names are remembered. */
const TAKEN_MEMORY = 50;

/** True for a request this librarian may act on (not a transfer they offered themselves). */
export function isForMe(r: QueuedRequest, myId: string): boolean {
  return r.transfer?.from.id !== myId;
}

/** An invitation to consult is not a patron waiting: it has a place of its own. */
const isConsult = (r: QueuedRequest) => !!r.consult;

export function applyQueueFrame(model: QueueModel, frame: QueueServerMessage, myId: string): QueueModel {
  switch (frame.type) {
    case "queue.snapshot":
      return {
        ...model,
        requests: { ...model.requests, [frame.queueId]: frame.requests },
        monitors: { ...model.monitors, [frame.queueId]: frame.monitors },
      };
    case "request.added":
    case "request.updated": {
      const q = frame.request.queueId;
      const list = model.requests[q] ?? [];
      const isNew = frame.type === "request.added" && !list.some((r) => r.sessionId === frame.request.sessionId) && isForMe(frame.request, myId) && !isConsult(frame.request);
      const rest = list.filter((r) => r.sessionId !== frame.request.sessionId);
      return { ...model, arrivals: model.arrivals + (isNew ? 1 : 0), requests: { ...model.requests, [q]: [...rest, frame.request] } };
    }
    case "request.removed": {
      const list = model.requests[frame.queueId] ?? [];
      let takenBy = model.takenBy;
      if (frame.reason === "accepted" && frame.by && frame.by.id !== myId) {
        const kept = Object.entries(model.takenBy).slice(-(TAKEN_MEMORY - 1));
        takenBy = { ...Object.fromEntries(kept), [frame.sessionId]: frame.by.name };
      }
      return { ...model, takenBy, requests: { ...model.requests, [frame.queueId]: list.filter((r) => r.sessionId !== frame.sessionId) } };
    }
    case "presence":
      return { ...model, monitors: { ...model.monitors, [frame.queueId]: frame.monitors } };
    case "presence.changed": {
      const changed = new Set([...frame.gone, ...frame.monitors.map((m) => m.librarianId)]);
      const kept = (model.monitors[frame.queueId] ?? []).filter((m) => !changed.has(m.librarianId));
      const monitors = [...kept, ...frame.monitors].sort(byMonitorName);
      return { ...model, monitors: { ...model.monitors, [frame.queueId]: monitors } };
    }
    case "staff.history":
      return { ...model, staff: { ...model.staff, [frame.queueId]: frame.messages } };
    case "staff.message": {
      const q = frame.message.queueId;
      const list = model.staff[q] ?? [];
      if (list.some((m) => m.id === frame.message.id)) return model;
      const fromOther = frame.message.from.id !== myId;
      return { ...model, staffArrivals: model.staffArrivals + (fromOther ? 1 : 0), staff: { ...model.staff, [q]: [...list, frame.message] } };
    }
    case "direct.message":
    case "error":
      return model;
  }
}

/** Forgets a queue the librarian stopped monitoring. */
export function dropQueue(model: QueueModel, queueId: string): QueueModel {
  const requests = { ...model.requests };
  const monitors = { ...model.monitors };
  const staff = { ...model.staff };
  delete requests[queueId];
  delete monitors[queueId];
  delete staff[queueId];
  return { ...model, requests, monitors, staff };
}

/** Takes a request off every list at once — used when an accept is refused because someone else was first. */
export function dropRequest(model: QueueModel, sessionId: string): QueueModel {
  const requests: Record<string, QueuedRequest[]> = {};
  for (const [q, list] of Object.entries(model.requests)) requests[q] = list.filter((r) => r.sessionId !== sessionId);
  return { ...model, requests };
}

/** Every request this librarian may accept, across the monitored queues, each once, oldest first. */
export function waitingList(model: QueueModel, myId: string): QueuedRequest[] {
  const bySession = new Map<string, QueuedRequest>();
  for (const list of Object.values(model.requests)) {
    for (const r of list) {
      if (!isForMe(r, myId) || isConsult(r)) continue;
      const seen = bySession.get(r.sessionId);
      if (!seen || r.createdAt < seen.createdAt) bySession.set(r.sessionId, r);
    }
  }
  return [...bySession.values()].sort((a, b) => a.createdAt - b.createdAt || a.sessionId.localeCompare(b.sessionId));
}

/** Invitations to consult in a colleague's chat, for this librarian, each once, oldest first. */
export function consultInvitations(model: QueueModel, myId: string): QueuedRequest[] {
  const bySession = new Map<string, QueuedRequest>();
  for (const list of Object.values(model.requests)) for (const r of list) if (r.consult?.toLibrarianId === myId) bySession.set(r.sessionId, r);
  return [...bySession.values()].sort((a, b) => (a.consult?.expiresAt ?? 0) - (b.consult?.expiresAt ?? 0));
}

/** Seconds a request has waited, for the ticking display. */
export function secondsWaiting(r: QueuedRequest, now: number): number {
  return Math.max(0, Math.floor((now - r.createdAt) / 1000));
}

/** "m:ss" for a number of seconds. */
export function formatWait(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The whole staff conversation across queues, oldest first. */
export function staffConversation(model: QueueModel): StaffMessage[] {
  return Object.values(model.staff)
    .flat()
    .sort((a, b) => a.at - b.at || a.queueId.localeCompare(b.queueId) || a.id - b.id);
}

/** Everyone else monitoring any of this librarian's queues, once each, by name. */
export function colleagues(model: QueueModel, myId: string): Monitor[] {
  const byId = new Map<string, Monitor>();
  for (const list of Object.values(model.monitors)) {
    for (const m of list) if (m.librarianId !== myId && !byId.has(m.librarianId)) byId.set(m.librarianId, m);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The queue a direct message to `librarianId` travels through: the first (in `order`) where they are present. */
export function queueForDirect(model: QueueModel, librarianId: string, order: readonly string[]): string | null {
  return order.find((q) => (model.monitors[q] ?? []).some((m) => m.librarianId === librarianId)) ?? null;
}
