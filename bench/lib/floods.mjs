// Every frame a patron can send, as a flood (bench:noisy); `state` is the chat
// the flooder is in. Shared by the scenario and the flooder's own thread.

export const FLOODS = [
  { name: "send", state: "active", frame: (i) => ({ type: "send", clientId: `flood-${i}`, body: `flood ${i}` }) },
  { name: "typing", state: "active", frame: (i) => ({ type: "typing", active: i % 2 === 0 }) },
  { name: "transcript", state: "active", frame: (i) => ({ type: "transcript", send: i % 2 === 0, email: "flood@patron.example" }) },
  { name: "capabilities", state: "active", frame: (i) => ({ type: "capabilities", report: { framing: i % 2 === 0, popups: "unknown", qwidget: false, cobrowseSupported: false, narrow: false } }) },
  { name: "hello", state: "active", frame: () => ({ type: "hello", lastSeq: 0 }), withToken: true },
  { name: "cobrowse.request", state: "active", frame: () => ({ type: "cobrowse.request" }) },
  { name: "cobrowse.decline", state: "active", frame: () => ({ type: "cobrowse.decline" }) },
  { name: "cobrowse.stop", state: "active", frame: () => ({ type: "cobrowse.stop" }) },
  { name: "cobrowse.point", state: "active", frame: (i) => ({ type: "cobrowse.point", target: { nodeId: i % 100, x: i % 500, y: i % 300 } }) },
  { name: "cobrowse.navigate", state: "active", frame: (i) => ({ type: "cobrowse.navigate", url: `https://library.example/p${i}` }) },
  { name: "cobrowse.resync", state: "active", frame: () => ({ type: "cobrowse.resync" }) },
  { name: "leave", state: "active", frame: () => ({ type: "leave" }) },
  { name: "malformed JSON", state: "active", frame: (i) => `{"type":"send","clientId":"x${i}"` },
  { name: "oversized frame", state: "active", frame: (i) => JSON.stringify({ type: "send", clientId: `big-${i}`, body: "x".repeat(17_000) }) },
  { name: "send (waiting)", state: "waiting", frame: (i) => ({ type: "send", clientId: `wflood-${i}`, body: `flood ${i}` }) },
  { name: "typing (waiting)", state: "waiting", frame: (i) => ({ type: "typing", active: i % 2 === 0 }) },
  { name: "transcript (waiting)", state: "waiting", frame: (i) => ({ type: "transcript", send: i % 2 === 0, email: "flood@patron.example" }) },
];
