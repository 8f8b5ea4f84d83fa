/**
 * One ReconnectingSocket per monitored queue. On every (re)connect the socket
 * first tells the queue this librarian's status, so presence is right after a
 * dropped connection too; a status change goes to every open socket. A queue
 * dropped from the list is closed with 1000, which tells it "stopped on
 * purpose" (no grace period).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { CLOSE_CODES } from "../../shared/close-codes";
import type { LibrarianStatus, QueueClientMessage, QueueServerMessage } from "../../shared/protocol";
import { ReconnectingSocket, socketUrl, type SocketState } from "../shared/reconnecting-socket";

export interface QueueSockets {
  /** Connection state per monitored queue ("open" once its snapshot has arrived). */
  states: Record<string, SocketState>;
  /** Sends a frame on one queue's socket; false when it is not connected. */
  send(queueId: string, frame: QueueClientMessage): boolean;
}

export function useQueueSockets(queueIds: string[], status: LibrarianStatus, onFrame: (frame: QueueServerMessage) => void): QueueSockets {
  const sockets = useRef(new Map<string, ReconnectingSocket>());
  const [states, setStates] = useState<Record<string, SocketState>>({});
  const latest = useRef({ status, onFrame });
  latest.current = { status, onFrame };

  useEffect(() => {
    for (const queueId of queueIds) {
      if (sockets.current.has(queueId)) continue;
      sockets.current.set(
        queueId,
        new ReconnectingSocket({
          url: socketUrl(`/api/queues/${encodeURIComponent(queueId)}/socket`),
          onOpen: (send) => {
            if (latest.current.status !== "online") send({ type: "set_status", status: latest.current.status } satisfies QueueClientMessage);
          },
          onFrame: (frame) => {
            const f = frame as QueueServerMessage;
            if (f.type === "queue.snapshot") setStates((s) => ({ ...s, [queueId]: "open" }));
            latest.current.onFrame(f);
          },
          onState: (state, closeCode) => {
            // The sign-in ended (signed out elsewhere, password or role changed): sign in again.
            if (closeCode === CLOSE_CODES.accessEnded) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
            setStates((s) => ({ ...s, [queueId]: state === "open" ? (s[queueId] ?? "connecting") : state }));
          },
        }),
      );
    }
    for (const [queueId, socket] of sockets.current) {
      if (queueIds.includes(queueId)) continue;
      socket.close();
      sockets.current.delete(queueId);
      setStates((s) => {
        const next = { ...s };
        delete next[queueId];
        return next;
      });
    }
  }, [queueIds.join("|")]);

  useEffect(() => {
    for (const socket of sockets.current.values()) socket.send({ type: "set_status", status } satisfies QueueClientMessage);
  }, [status]);

  useEffect(() => () => sockets.current.forEach((s) => s.close()), []);

  return {
    states,
    send: (queueId, frame) => sockets.current.get(queueId)?.send(frame) ?? false,
  };
}
