/**
 * The sockets of one chat: the patron's and the librarians' chat sockets, and
 * a sharing page's co-browse stream sockets. Who is on a socket lives in its
 * attachment (it survives hibernation); sockets are tagged by role so a
 * broadcast reaches only the sockets it is for.
 */
import type { LibrarianRef } from "../../src/objects/contracts";
import { TIMING } from "../../src/shared/limits";
import type { CobrowseServerMessage, SessionServerMessage } from "../../src/shared/protocol";
import { isRevoked } from "../shared/access";
import { broadcastFrame, closeSocket, readAttachment, sendFrame, writeAttachment } from "../shared/sockets";

export interface SessionSocket {
  role: "patron" | "librarian";
  /** Said hello (patrons: with a valid token; librarians: as the serving librarian). */
  authed: boolean;
  connectedAt: number;
  librarian: LibrarianRef | null;
  /** Librarians: the sign-in session the socket was opened with (closes when that sign-in ends). */
  signIn?: string | null;
  /** "cobrowse": a sharing page's stream socket (patrons only); absent for chat sockets. */
  channel?: "cobrowse";
  /** The page's origin when another site opened the socket (the Qwidget), else null. */
  origin?: string | null;
  /** Stream sockets: the sharing this page streams for, once it started. */
  sharingId?: string | null;
}

const STREAM_TAG = "cobrowse";

/** Who wrote a frame, for rates and de-duplication: "patron" or "librarian:<id>". */
export function authorOf(att: SessionSocket): string {
  return att.role === "librarian" && att.librarian ? `librarian:${att.librarian.id}` : "patron";
}

export class SessionSockets {
  constructor(private readonly ctx: DurableObjectState) {}

  /** Takes a new socket into the object (hibernatable), identity attached in the same turn. */
  accept(server: WebSocket, socket: SessionSocket): void {
    this.ctx.acceptWebSocket(server, [socket.channel === "cobrowse" ? STREAM_TAG : socket.role]);
    writeAttachment(server, socket);
  }

  attachment(ws: WebSocket): SessionSocket | null {
    return readAttachment<SessionSocket>(ws);
  }

  update(ws: WebSocket, socket: SessionSocket): void {
    writeAttachment(ws, socket);
  }

  send(ws: WebSocket, frame: SessionServerMessage): void {
    sendFrame(ws, frame);
  }

  sendStream(ws: WebSocket, frame: CobrowseServerMessage): void {
    sendFrame(ws, frame);
  }

  /** To every chat socket that said hello (stream sockets carry the co-browse stream only, never chat frames). */
  broadcast(frame: SessionServerMessage, only?: "patron" | "librarian", except?: WebSocket): void {
    broadcastFrame(this.ctx.getWebSockets(only), frame, (ws) => {
      if (ws === except) return false;
      const att = this.attachment(ws);
      return !!att?.authed && !att.channel;
    });
  }

  /** To the chat sockets of one librarian (the co-browse stream goes to the serving librarian only). */
  toLibrarian(librarianId: string, frame: SessionServerMessage): void {
    broadcastFrame(this.ctx.getWebSockets("librarian"), frame, (ws) => {
      const att = this.attachment(ws);
      return !!att?.authed && att.librarian?.id === librarianId;
    });
  }

  close(which: "all" | "librarians" | { librarianId: string }, code: number, reason: string): void {
    const sockets = which === "all" ? this.ctx.getWebSockets() : this.ctx.getWebSockets("librarian");
    for (const ws of sockets) {
      if (typeof which === "object" && this.attachment(ws)?.librarian?.id !== which.librarianId) continue;
      closeSocket(ws, code, reason);
    }
  }

  /** Whether the patron has a chat socket open that said hello (other than `except`). */
  patronHere(except?: WebSocket): boolean {
    return this.ctx.getWebSockets("patron").some((ws) => ws !== except && ws.readyState === WebSocket.OPEN && !!this.attachment(ws)?.authed);
  }

  /** Every stream socket, sharing or not yet. */
  streams(): WebSocket[] {
    return this.ctx.getWebSockets(STREAM_TAG);
  }

  /** The open stream sockets of one sharing (a page and, briefly, the next page of the site). */
  sharing(sharingId: string | null, except?: WebSocket): WebSocket[] {
    if (!sharingId) return [];
    return this.streams().filter((ws) => ws !== except && ws.readyState === WebSocket.OPEN && this.attachment(ws)?.sharingId === sharingId);
  }

  /** The librarian sockets whose sign-in is among `signInKeys` (null: every one of that librarian's). */
  librarianSockets(librarianId: string, signInKeys: readonly string[] | null): WebSocket[] {
    return this.ctx.getWebSockets("librarian").filter((ws) => {
      const att = this.attachment(ws);
      return !!att?.librarian && isRevoked({ librarianId: att.librarian.id, signIn: att.signIn ?? null }, librarianId, signInKeys);
    });
  }

  /** Every open librarian socket with the sign-in it carries. */
  openLibrarianSockets(): { ws: WebSocket; librarianId: string; signIn: string | null }[] {
    return this.ctx.getWebSockets("librarian").flatMap((ws) => {
      const att = this.attachment(ws);
      return ws.readyState === WebSocket.OPEN && att?.librarian ? [{ ws, librarianId: att.librarian.id, signIn: att.signIn ?? null }] : [];
    });
  }

  /** When each socket still waiting to say hello must have said it. */
  helloDeadlines(): number[] {
    const due: number[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const att = this.attachment(ws);
      if (att && !att.authed) due.push(att.connectedAt + TIMING.helloTimeoutMs);
    }
    return due;
  }

  /** Sockets that did not say hello in time. */
  silentPast(now: number): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => {
      const att = this.attachment(ws);
      return !!att && !att.authed && now >= att.connectedAt + TIMING.helloTimeoutMs;
    });
  }
}
