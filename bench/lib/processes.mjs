// The processes behind one `wrangler dev`, read from /proc: wrangler's Node
// process, the dev proxy's workerd (it owns the listening port) and the runtime
// workerd (it runs the Worker and the Durable Objects). Used to report the
// server's CPU and to kill the runtime in the fault suite.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux). */
const TICKS_PER_SECOND = 100;

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: split after it.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function readCmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Every live descendant of `rootPid` (and the root itself), with its command line and CPU ticks so far. */
export function processTree(rootPid) {
  const all = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) all.push({ pid: Number(name), ...stat });
  }
  const wanted = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!wanted.has(p.pid) && wanted.has(p.ppid)) {
        wanted.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => wanted.has(p.pid)).map((p) => ({ ...p, cmdline: readCmdline(p.pid) }));
}

/**
 * Names each process of a wrangler dev tree: "runtime" (the workerd that runs
 * our code), "proxy" (the workerd listening on `port`), "wrangler" (Node).
 */
export function classify(proc, port) {
  if (!proc.cmdline.includes("workerd")) return "wrangler";
  return proc.cmdline.includes(`entry=127.0.0.1:${port} `) || proc.cmdline.endsWith(`entry=127.0.0.1:${port}`) ? "proxy" : "runtime";
}

/** The runtime workerd's pid, or null while it is (re)starting. */
export function runtimePid(rootPid, port) {
  return processTree(rootPid).find((p) => classify(p, port) === "runtime")?.pid ?? null;
}

/** CPU seconds used so far by each kind of process in the tree. */
export function serverCpuSeconds(rootPid, port) {
  const out = { runtime: 0, proxy: 0, wrangler: 0 };
  for (const p of processTree(rootPid)) out[classify(p, port)] += p.cpuTicks / TICKS_PER_SECOND;
  return out;
}

/** CPU seconds every process on the machine has used so far (all cores, from /proc/stat). */
export function machineBusySeconds() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const busy = fields.reduce((a, b) => a + b, 0) - fields[3] - (fields[4] ?? 0);
  return busy / TICKS_PER_SECOND;
}

/**
 * Measures CPU over a window: call `start()` then `stop()`; returns each
 * server process kind's and this load generator's CPU as a share of one core.
 */
export function cpuWindow(rootPid, port) {
  const t0 = performance.now();
  const server0 = serverCpuSeconds(rootPid, port);
  const self0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  const runtime0 = runtimePid(rootPid, port);
  return {
    stop() {
      const seconds = (performance.now() - t0) / 1000;
      const server1 = serverCpuSeconds(rootPid, port);
      const self1 = process.cpuUsage(self0);
      const share = (cpuSeconds) => Math.round((cpuSeconds / seconds) * 1000) / 10;
      const server = Object.fromEntries(Object.keys(server1).map((k) => [k, share(server1[k] - server0[k])]));
      const ours = Object.keys(server1).reduce((sum, k) => sum + server1[k] - server0[k], 0) + (self1.user + self1.system) / 1e6;
      return {
        windowSeconds: Math.round(seconds * 10) / 10,
        /** Percent of one core. 200 % would be both cores of a 2-core machine. */
        serverPercent: { ...server, total: Math.round((server.runtime + server.proxy + server.wrangler) * 10) / 10 },
        loadGeneratorPercent: share((self1.user + self1.system) / 1e6),
        /** Everything else running on the machine meanwhile (other users' jobs skew the figures). */
        otherProcessesPercent: Math.max(0, share(machineBusySeconds() - machine0 - ours)),
        loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number),
        /** True if the runtime workerd was replaced during the window (a crash or a reload): its CPU figures are then partial. */
        runtimeRestarted: runtimePid(rootPid, port) !== runtime0,
      };
    },
  };
}

/**
 * Waits (at most `timeoutMs`) until the rest of the machine is quiet: other
 * processes together using under `maxOtherPercent` of a core over a 5-second
 * sample. On a shared machine other jobs skew every figure; results record how
 * busy it was either way. Returns the last sample.
 */
export async function waitForQuietMachine({ maxOtherPercent = 25, timeoutMs = 600_000, ownPids = () => [] } = {}) {
  const deadline = Date.now() + timeoutMs;
  let otherPercent = Infinity;
  while (Date.now() < deadline) {
    const ownTicks = () => ownPids().reduce((sum, pid) => sum + (readStat(pid)?.cpuTicks ?? 0), 0) / TICKS_PER_SECOND;
    const busy0 = machineBusySeconds();
    const own0 = ownTicks() + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
    await new Promise((r) => setTimeout(r, 5000));
    const own1 = ownTicks() + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
    otherPercent = Math.round(((machineBusySeconds() - busy0 - (own1 - own0)) / 5) * 100);
    if (otherPercent <= maxOtherPercent) return { quiet: true, otherPercent };
  }
  return { quiet: false, otherPercent };
}

/** The TCP ports `pid` listens on (from its socket descriptors and /proc/net/tcp). */
export function listeningPorts(pid) {
  const inodes = new Set();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    return [];
  }
  const ports = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st … inode (10th)
      if (cols[3] === "0A" && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(":")[1], 16));
    }
  }
  return ports;
}
