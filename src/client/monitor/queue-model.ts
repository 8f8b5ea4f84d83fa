/**
 * The monitor's view of its queues, as a pure reducer over queue frames: easy
 * to test, and the one place that decides what the "waiting" list shows.
 * A request can sit in more than one queue (a library's and a cooperative's);
 * it is shown once, under the oldest arrival.
 */
import type { Monitor, QueuedRequest, QueueServerMessage } from "../../shared/protocol";

export interface QueueModel {
  /** Waiting requests per queue id. */
  requests: Record<string, QueuedRequest[]>;
  monitors: Record<string, Monitor[]>;
  /** Requests that someone else took while we were looking, with who took them (for the notice). */
  takenByOthers: { sessionId: string; by: string; question: string }[];
}

export const emptyQueueModel: QueueModel = { requests: {}, monitors: {}, takenByOthers: [] };

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
      const list = (model.requests[q] ?? []).filter((r) => r.sessionId !== frame.request.sessionId);
      return { ...model, requests: { ...model.requests, [q]: [...list, frame.request] } };
    }
    case "request.removed": {
      const list = model.requests[frame.queueId] ?? [];
      const removed = list.find((r) => r.sessionId === frame.sessionId);
      const takenByOthers =
        frame.reason === "accepted" && frame.by && frame.by.id !== myId && removed
          ? [...model.takenByOthers, { sessionId: frame.sessionId, by: frame.by.name, question: removed.question }]
          : model.takenByOthers;
      return { ...model, takenByOthers, requests: { ...model.requests, [frame.queueId]: list.filter((r) => r.sessionId !== frame.sessionId) } };
    }
    case "presence":
      return { ...model, monitors: { ...model.monitors, [frame.queueId]: frame.monitors } };
    case "error":
      return model;
  }
}

/** Forgets a queue the librarian stopped monitoring. */
export function dropQueue(model: QueueModel, queueId: string): QueueModel {
  const requests = { ...model.requests };
  const monitors = { ...model.monitors };
  delete requests[queueId];
  delete monitors[queueId];
  return { ...model, requests, monitors };
}

/** Every waiting request across the monitored queues, each once, oldest first. */
export function waitingList(model: QueueModel): QueuedRequest[] {
  const bySession = new Map<string, QueuedRequest>();
  for (const list of Object.values(model.requests)) {
    for (const r of list) {
      const seen = bySession.get(r.sessionId);
      if (!seen || r.createdAt < seen.createdAt) bySession.set(r.sessionId, r);
    }
  }
  return [...bySession.values()].sort((a, b) => a.createdAt - b.createdAt || a.sessionId.localeCompare(b.sessionId));
}

/** Seconds a request has waited, for the ticking display. */
export function secondsWaiting(r: QueuedRequest, now: number): number {
  return Math.max(0, Math.floor((now - r.createdAt) / 1000));
}
