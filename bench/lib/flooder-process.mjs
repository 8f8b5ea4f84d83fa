// One patron flooding a frame type, in a process of its own (bench:noisy). A
// real flooder is another machine: its own work — filling a send buffer in a
// tight loop — costs the server nothing. Here it shares the machine with the
// server and the clients being timed, so it runs apart (its loop cannot hold
// up the event loop that timestamps everyone else's deliveries), on a core of
// its own where there is one; what is measured is what its frames cost the
// server.
//
// Two paces. "accepted": the highest rate the server accepts from one socket
// (SOCKET_FRAME_RATE: its burst at once, then its rate per second), for as
// long as the window lasts — the server reads every frame and keeps the
// socket. "firehose": as fast as the socket's send buffer drains, far past
// what the server accepts (it closes the socket and refuses the author's
// reconnects for a while). Either way the flooder reconnects (and says hello
// again) whenever the server closes the socket, until the parent sends
// "stop"; then the process sends its counts and ends.
import WebSocket from "ws";
import { FLOODS } from "./floods.mjs";
import { patronSocket } from "./socket.mjs";
import { SOCKET_FRAME_RATE } from "../../src/shared/limits.ts";

const { base, chat, floodName, pace } = JSON.parse(process.argv[2]);
const flood = FLOODS.find((f) => f.name === floodName);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let running = true;
let sent = 0;
let connections = 0;
let refusedUpgrades = 0;
const closes = {};
const answers = {};
process.on("message", (m) => {
  if (m === "stop") running = false;
});

while (running) {
  let socket;
  try {
    socket = await patronSocket(base, chat.sessionId, chat.token, {
      keep: false,
      ping: false,
      onFrame: (f) => {
        const key = f.type === "error" ? `error:${f.code}` : f.type;
        answers[key] = (answers[key] ?? 0) + 1;
      },
    });
  } catch (error) {
    refusedUpgrades += error.status === 429 ? 1 : 0;
    await sleep(100);
    continue;
  }
  connections++;
  const ws = socket.ws;
  await new Promise((done) => {
    ws.once("close", (code) => {
      closes[code] = (closes[code] ?? 0) + 1;
      done();
    });
    const next = () => {
      const f = flood.frame(sent++);
      const frame = flood.withToken ? { ...f, token: chat.token } : f;
      ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    };
    const open = () => running && ws.readyState === WebSocket.OPEN;
    const opened = performance.now();
    let paced = 0;
    const pump = () => {
      if (!open()) {
        if (!running) ws.close(1000);
        return;
      }
      if (pace === "accepted") {
        // The burst, then the allowance as it refills: never a frame more than the socket may send.
        const allowed = SOCKET_FRAME_RATE.burst + Math.floor(((performance.now() - opened) / 1000) * SOCKET_FRAME_RATE.perSecond) - 1;
        for (; paced < allowed && open(); paced++) next();
        setTimeout(pump, 5);
        return;
      }
      // As fast as the connection takes them: fill the send buffer, then wait for it to drain.
      while (ws.bufferedAmount < 256 * 1024 && open()) next();
      setTimeout(pump, 1);
    };
    pump();
  });
}
process.send({ sent, connections, refusedUpgrades, closes, answers }, () => process.exit(0));
