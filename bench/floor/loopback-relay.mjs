// The lowest floor for delivery latency: a raw WebSocket relay on loopback,
// Node and the `ws` package in a process of its own, with the chat's socket
// shape (a patron and a librarian socket per id; `send` in, `ack` to the
// patron, `message` to the librarian; "ping" answered "pong") and nothing
// else — no runtime, no dev proxy, no objects. Started by the load bench
// (startLoopbackRelay); run by itself it prints its port.
import { fork } from "node:child_process";
import { WebSocketServer } from "ws";

/** Runs the relay in this process on `port` (0: any free port); resolves with the port. */
function serve(port) {
  const rooms = new Map();
  const wss = new WebSocketServer({ host: "127.0.0.1", port });
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url, "http://loopback");
    const id = url.pathname.split("/")[1] ?? "";
    const role = url.searchParams.get("as") === "librarian" ? "librarian" : "patron";
    const room = rooms.get(id) ?? { seq: 0, librarians: new Set() };
    rooms.set(id, room);
    if (role === "librarian") room.librarians.add(ws);
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === "ping") return ws.send("pong");
      const frame = JSON.parse(text);
      if (frame.type !== "send") return;
      const seq = ++room.seq;
      const message = { seq, clientId: frame.clientId, author: { role: "patron", name: "Patron" }, kind: "text", body: frame.body, at: Date.now(), whileWaiting: false };
      ws.send(JSON.stringify({ type: "ack", clientId: frame.clientId, seq }));
      for (const peer of room.librarians) peer.send(JSON.stringify({ type: "message", message }));
    });
    ws.on("close", () => {
      room.librarians.delete(ws);
      if (room.librarians.size === 0 && role === "librarian") rooms.delete(id);
    });
  });
  return new Promise((resolve) => wss.on("listening", () => resolve(wss.address().port)));
}

/** Starts the relay in a child process; resolves with its base URL and a stop function. */
export function startLoopbackRelay() {
  const child = fork(import.meta.filename, ["--serve"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ base: `http://127.0.0.1:${m.port}`, pid: child.pid, stop: () => child.kill("SIGTERM") }));
    child.once("exit", (code) => reject(new Error(`loopback relay exited (${code})`)));
  });
}

if (process.argv.includes("--serve")) {
  const port = await serve(0);
  if (process.send) process.send({ port });
  else console.log(`loopback relay on ${port}`);
}
