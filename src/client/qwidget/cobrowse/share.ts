/**
 * Sharing the library page with the librarian, loaded only when the
 * patron agrees (a chunk of its own, with rrweb's recorder). While it lasts:
 *
 * - A "sharing" bar with a Stop button sits at the bottom of the screen, in
 *   the Qwidget's shadow root (the page's CSS cannot hide or restyle it).
 * - rrweb records the page — a snapshot, then its changes, scrolling and the
 *   pointer — with every input value masked, and password, card, PIN and
 *   hidden fields (and the Qwidget itself) blocked: they are sent as empty
 *   boxes. Events go in batches over a socket of this page's own to the chat's
 *   session object, which checks them again and relays them to the serving
 *   librarian only. Nothing is stored.
 * - The librarian can point at something (a highlight here, announced to
 *   screen readers) and take the page to another page of the same site; the
 *   next page resumes sharing under the same consent (./sharing-record.ts).
 * - Stop ends it at once: the recorder stops before anything else happens.
 */
import { record } from "@rrweb/record";
import type { CobrowseClientMessage, CobrowseServerMessage, PageEvent, PointerTarget } from "../../../shared/protocol";
import { COBROWSE_LIMITS } from "../../../shared/cobrowse-limits";
import { webUrl } from "../../../shared/web-address";
import { refusalKey } from "../../../i18n/refusal-words";
import type { t } from "../../shared/i18n";
import { writeSharing } from "./sharing-record";

/** Fields that never leave the page, not even masked: the recorder sends an empty box of the same size. */
export const NEVER_SHARED = [
  "refdesk-qwidget",
  "[data-refdesk-private]",
  "input[type=password]",
  "input[type=hidden]",
  "input[autocomplete^=cc-]",
  "input[autocomplete*=one-time-code]",
  "input[autocomplete*=password]",
  "input[name*=pin i]",
  "input[id*=pin i]",
  "input[name*=card i]",
  "input[id*=card i]",
  "input[name*=cvv i]",
  "input[name*=cvc i]",
].join(",");

/** How often batched events leave the page (ms), and the most in one batch. */
const FLUSH_MS = 100;
const BATCH_EVENTS = 200;
const HIGHLIGHT_MS = 5000;

export interface SharingOptions {
  /** The Refdesk service's origin. */
  origin: string;
  sessionId: string;
  token: string;
  /** The Qwidget's shadow root: where the sharing bar and the highlight live. */
  root: ShadowRoot;
  /** Resume a sharing the patron already agreed to (the next page of the site). */
  sharingId?: string;
  onEnd: () => void;
  /** The patron's words (the chat's catalog, loaded by whoever starts the sharing: this chunk carries none). */
  say: typeof t;
}

export interface Sharing {
  stop(): void;
}

const STYLE = `
.rd-sharing{position:fixed;left:1em;bottom:1em;z-index:2147483647;display:flex;align-items:center;gap:.75em;max-width:calc(100vw - 2em);padding:.5em .5em .5em .9em;border-radius:.6em;background:#7a1f1f;color:#fff;font:1em/1.4 system-ui,sans-serif;box-shadow:0 .3em 1.2em #0006}
.rd-sharing p{margin:0}
.rd-sharing button{font:inherit;min-height:2.5em;padding:.3em .9em;border-radius:6px;border:2px solid #fff;background:#fff;color:#7a1f1f;font-weight:700;cursor:pointer}
.rd-sharing button:focus-visible{outline:3px solid #fff;outline-offset:2px}
.rd-dot{width:.7em;height:.7em;border-radius:50%;background:#fca5a5;flex:none}
.rd-highlight{position:fixed;z-index:2147483646;pointer-events:none;border:4px solid #f59e0b;border-radius:6px;box-shadow:0 0 0 9999px #0000002e}
.rd-highlight span{position:absolute;left:-4px;bottom:100%;margin-bottom:4px;padding:.15em .5em;border-radius:4px;background:#f59e0b;color:#111;font:600 .9em/1.4 system-ui,sans-serif;white-space:nowrap}
.rd-live{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:no-preference){.rd-highlight{transition:opacity .3s}}
`;

export function startSharing(opts: SharingOptions): Sharing {
  const { root } = opts;
  let stopRecording: (() => void) | null = null;
  let queue: PageEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let ended = false;
  const say = opts.say;
  let librarianName = say("cobrowse.theLibrarian");
  let sharingId = opts.sharingId;
  /** The page is going away (a link, or the librarian's navigation): its socket closing is not the end of sharing. */
  let leaving = false;
  const onPageHide = () => (leaving = true);
  addEventListener("pagehide", onPageHide);

  // ---- what the patron sees ----
  const style = document.createElement("style");
  style.textContent = STYLE;
  const bar = document.createElement("div");
  bar.className = "rd-sharing";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", say("cobrowse.barLabel"));
  const dot = document.createElement("span");
  dot.className = "rd-dot";
  dot.setAttribute("aria-hidden", "true");
  const text = document.createElement("p");
  text.textContent = say("cobrowse.connecting");
  const stopButton = document.createElement("button");
  stopButton.type = "button";
  stopButton.textContent = say("cobrowse.stopSharing");
  stopButton.onclick = () => stop(true);
  const live = document.createElement("p");
  live.className = "rd-live";
  live.setAttribute("role", "status");
  bar.append(dot, text, stopButton, live);
  root.append(style, bar);
  let highlight: HTMLElement | null = null;
  let highlightTimer: ReturnType<typeof setTimeout> | null = null;

  // ---- the stream ----
  // This page's own socket (not the chat's, which may live in another tab of the site).
  const ws = new WebSocket(`${opts.origin.replace(/^http/, "ws")}/api/chats/${opts.sessionId}/cobrowse`);
  const send = (frame: CobrowseClientMessage) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame));

  const flush = () => {
    flushTimer = null;
    while (queue.length && !ended) {
      let batch = queue.splice(0, BATCH_EVENTS);
      let frame = JSON.stringify({ type: "events", events: batch });
      // Halve a batch until it fits a frame; one event that cannot fit means the page is too big to share.
      while (frame.length > COBROWSE_LIMITS.frameBytes && batch.length > 1) {
        queue = [...batch.slice(batch.length >> 1), ...queue];
        batch = batch.slice(0, batch.length >> 1);
        frame = JSON.stringify({ type: "events", events: batch });
      }
      if (frame.length > COBROWSE_LIMITS.frameBytes) {
        live.textContent = say("cobrowse.tooLarge");
        stop(true);
        return;
      }
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    }
  };
  const emit = (event: PageEvent) => {
    if (ended) return;
    queue.push(event);
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  };

  const startRecording = () => {
    stopRecording?.();
    stopRecording =
      record<PageEvent>({
        emit,
        maskAllInputs: true,
        maskInputFn: (value) => "*".repeat(value.length),
        blockSelector: NEVER_SHARED,
        slimDOMOptions: "all",
        recordCanvas: false,
        collectFonts: false,
        inlineImages: false,
        recordCrossOriginIframes: false,
        sampling: { mousemove: 50, scroll: 150 },
      }) ?? null;
  };

  const showPoint = (target: PointerTarget) => {
    highlight?.remove();
    if (highlightTimer) clearTimeout(highlightTimer);
    const node = target.nodeId === null ? null : record.mirror.getNode(target.nodeId);
    const element = node instanceof Element ? node : node?.parentElement ?? null;
    element?.scrollIntoView({ block: "center", inline: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    const place = () => {
      const box = element?.getBoundingClientRect() ?? new DOMRect(target.x - scrollX - 12, target.y - scrollY - 12, 24, 24);
      Object.assign(highlight!.style, { left: `${box.left - 6}px`, top: `${box.top - 6}px`, width: `${box.width + 12}px`, height: `${box.height + 12}px` });
    };
    highlight = document.createElement("div");
    highlight.className = "rd-highlight";
    highlight.setAttribute("aria-hidden", "true");
    const label = document.createElement("span");
    label.textContent = say("cobrowse.pointsHere", { librarian: librarianName });
    highlight.append(label);
    root.append(highlight);
    place();
    // Follow the element while the page scrolls into place.
    const follow = setInterval(place, 100);
    highlightTimer = setTimeout(() => (clearInterval(follow), highlight?.remove(), (highlight = null)), HIGHLIGHT_MS);
    live.textContent = say("cobrowse.pointingAt", { librarian: librarianName, what: target.label || (element?.textContent ?? "").trim().slice(0, 80) || say("cobrowse.partOfPage") });
  };

  ws.onopen = () => {
    send({ type: "hello", token: opts.token });
    send({ type: "start", url: location.href, title: document.title.slice(0, COBROWSE_LIMITS.titleChars), ...(sharingId ? { sharingId } : {}) });
  };
  ws.onmessage = (e: MessageEvent<string>) => {
    let frame: CobrowseServerMessage;
    try {
      frame = JSON.parse(e.data) as CobrowseServerMessage;
    } catch {
      return;
    }
    switch (frame.type) {
      case "started":
        sharingId = frame.sharingId;
        librarianName = frame.librarianName;
        writeSharing({ sessionId: opts.sessionId, sharingId });
        text.textContent = say("cobrowse.sharingWith", { librarian: librarianName });
        live.textContent = say("cobrowse.canSee", { librarian: librarianName });
        startRecording();
        return;
      case "resync":
        record.takeFullSnapshot(true);
        return;
      case "point":
        return showPoint(frame.target);
      case "navigate": {
        const next = webUrl(frame.url);
        // Same site only (the server checks too): the next page resumes sharing.
        if (!next || next.origin !== location.origin) return;
        live.textContent = say("cobrowse.navigating", { librarian: librarianName });
        flush();
        leaving = true;
        location.assign(next.href);
        return;
      }
      case "ended":
        return stop(false);
      case "error":
        // A refused part of the stream is dropped by the server; say so only when sharing could not start.
        if (!sharingId) {
          live.textContent = say(refusalKey(frame));
          stop(false);
        }
        return;
    }
  };
  ws.onclose = () => {
    // Lost without the page leaving (the network, the server): sharing is over here; the server ends it too.
    if (!ended && !leaving) stop(false);
  };

  /** Ends sharing here: the recorder first, so not one more event leaves the page. */
  function stop(tellServer: boolean): void {
    if (ended) return;
    ended = true;
    stopRecording?.();
    stopRecording = null;
    queue = [];
    if (flushTimer) clearTimeout(flushTimer);
    if (tellServer) send({ type: "stop" });
    ws.close(1000, "stopped");
    removeEventListener("pagehide", onPageHide);
    writeSharing(null);
    highlight?.remove();
    bar.remove();
    style.remove();
    opts.onEnd();
  }

  return { stop: () => stop(true) };
}
