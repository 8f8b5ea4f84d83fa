// The real chat client in Node: src/client/shared/session-connection.ts (the
// patron window's and the monitor's resumable connection — reconnect with
// backoff, hello with the last shown sequence number, resend of unacknowledged
// messages) bundled with esbuild, on `ws` sockets that carry a browser's
// headers and that the fault suite can cut. Every socket the client opens is
// tapped: each frame is seen before the client handles it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import WebSocket from "ws";

const root = path.resolve(import.meta.dirname, "..", "..");
let loaded = null;

/** The SessionConnection class, bundled from the client sources once per process. */
export async function loadSessionConnection() {
  if (!loaded) {
    const outfile = path.join(root, ".wrangler", "bench", `session-connection-${process.pid}.mjs`);
    mkdirSync(path.dirname(outfile), { recursive: true });
    await build({
      entryPoints: [path.join(root, "src", "client", "shared", "session-connection.ts")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      outfile,
      logLevel: "error",
    });
    loaded = import(pathToFileURL(outfile).href).then((m) => m.SessionConnection);
  }
  return loaded;
}

/**
 * A WebSocket class for SessionConnection's `WebSocketImpl` seam: sends
 * `headers` (Cookie, Origin), calls `onSocket(ws)` for each socket it creates
 * and `onFrame(ws, frame, at)` for each JSON frame before the client sees it.
 */
export function tappedWebSocket({ headers = {}, onSocket, onFrame }) {
  return class TappedWebSocket extends WebSocket {
    constructor(url) {
      super(url, { headers });
      this.createdAt = performance.now();
      this.openedAt = null;
      this.on("open", () => (this.openedAt = performance.now()));
      // Connection failures end in a close event, which the client handles; an
      // unhandled "error" event would otherwise throw.
      this.on("error", () => {});
      this.on("message", (data, isBinary) => {
        if (isBinary) return;
        const text = data.toString();
        if (text === "pong") return;
        try {
          onFrame?.(this, JSON.parse(text), performance.now());
        } catch {
          // Not JSON: the client ignores it too.
        }
      });
      onSocket?.(this);
    }
  };
}
