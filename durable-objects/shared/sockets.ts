/**
 * Socket plumbing shared by both objects (hibernation API): typed
 * attachments, guarded sends, broadcasts that skip sockets no longer open,
 * and closing that never tries to echo a code a dead transport cannot carry.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { logEvent } from "./log";

/** The small per-socket identity that survives hibernation. */
export function readAttachment<T>(ws: WebSocket): T | null {
  return (ws.deserializeAttachment() as T | null) ?? null;
}

export function writeAttachment<T>(ws: WebSocket, attachment: T): void {
  ws.serializeAttachment(attachment);
}

/** Sends one frame; a socket that closed under us is left to its close handler. */
export function sendFrame(ws: WebSocket, frame: unknown): void {
  sendText(ws, JSON.stringify(frame));
}

export function sendText(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // Closed between the check and the send: its close handler deals with it.
  }
}

/** Sends one frame, serialised once, to every open socket that passes `include`. */
export function broadcastFrame(sockets: Iterable<WebSocket>, frame: unknown, include: (ws: WebSocket) => boolean = () => true): void {
  const text = JSON.stringify(frame);
  for (const ws of sockets) if (ws.readyState === WebSocket.OPEN && include(ws)) sendText(ws, text);
}

/** Closes a socket with our own code; one already closed is left alone. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closed.
  }
}

/**
 * Answers a peer's close. 1005 (no code) and 1006 (dropped transport) may never
 * be sent in a close frame, so those are answered with a normal close.
 */
export function closeGoneSocket(ws: WebSocket, code: number): void {
  closeSocket(ws, code === 1005 || code === 1006 ? CLOSE_CODES.normal : code, "closing");
}

/**
 * A frame handler that threw: the client is told (never with details), the
 * fault logged, and the socket closed with 1011 so the client reconnects to a
 * fresh start. Returns the handler's own promise otherwise.
 */
export async function answeringFaults(ws: WebSocket, ids: Record<string, string>, handle: () => Promise<void> | void): Promise<void> {
  try {
    await handle();
  } catch (error) {
    logEvent("error", "frame_failed", ids, error);
    sendFrame(ws, { type: "error", code: "internal", message: "Something went wrong on our side. Reconnecting will start afresh." });
    closeSocket(ws, CLOSE_CODES.internal, "internal error");
  }
}

/** The close code an error event stands for. */
export const ERRORED_SOCKET_CODE = CLOSE_CODES.goingAway;
