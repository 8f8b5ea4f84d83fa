/**
 * The floor for delivery latency, kept out of the product: the simplest relay
 * a Durable Object can be, on the same runtime and with the same socket shape
 * as a chat — a patron socket and a librarian socket per object, hibernatable
 * and tagged by role, pings answered without waking it, JSON frames in
 * Refdesk's shape (`send` in; `ack` to the patron, `message` to the
 * librarian). No storage, no sign-in, no rules: what Refdesk adds on top of
 * it is the cost of its guarantees. Only bench servers export it and bind it
 * (bench/lib/server.mjs writes their entry and config).
 */
import { DurableObject } from "cloudflare:workers";

interface SendFrame {
  type: "send";
  clientId: string;
  body: string;
}

export class FloorRelay extends DurableObject {
  /** Kept in memory only: the floor stores nothing (a wake-up after hibernation starts again at 1). */
  private seq = 0;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const role = new URL(request.url).searchParams.get("as") === "librarian" ? "librarian" : "patron";
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [role]);
    pair[1].serializeAttachment({ role });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    if (typeof raw !== "string") return;
    const frame = JSON.parse(raw) as SendFrame;
    if (frame.type !== "send") return;
    const seq = ++this.seq;
    const message = { seq, clientId: frame.clientId, author: { role: "patron", name: "Patron" }, kind: "text", body: frame.body, at: Date.now(), whileWaiting: false };
    ws.send(JSON.stringify({ type: "ack", clientId: frame.clientId, seq }));
    for (const peer of this.ctx.getWebSockets("librarian")) {
      try {
        peer.send(JSON.stringify({ type: "message", message }));
      } catch {
        // A socket closing meanwhile: the bench counts what arrives.
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // Already closed.
    }
  }
}

/** The bench server's Worker: `/__floor/<id>/socket` goes to that id's relay; everything else to Refdesk. */
export function withFloorRelay<E extends { FLOOR_RELAY?: DurableObjectNamespace }>(handler: ExportedHandler<E>): ExportedHandler<E> {
  return {
    ...handler,
    fetch(request, env, ctx) {
      const m = /^\/__floor\/([^/]+)\/socket$/.exec(new URL(request.url).pathname);
      if (m && env.FLOOR_RELAY) return env.FLOOR_RELAY.get(env.FLOOR_RELAY.idFromName(m[1]!)).fetch(request);
      return handler.fetch!(request as Parameters<NonNullable<ExportedHandler<E>["fetch"]>>[0], env, ctx);
    },
  };
}
