/**
 * The librarian's live view of a page a patron shares: rrweb's
 * replayer in live mode, loaded only when co-browsing starts (a chunk of the
 * monitor's own). The replayer rebuilds the page in a frame sandboxed without
 * scripts — nothing of the patron's page runs here — scaled to fit, and
 * follows each new page of the site as its snapshot arrives.
 *
 * It also finds what the librarian points at (a click on the view, or a pick
 * from the page's headings, links and buttons) as the recorded node the
 * patron's page highlights.
 */
import { Replayer } from "@rrweb/replay";
import replayerCss from "@rrweb/replay/dist/style.css";
import type { PageEvent, PointerTarget } from "../../../shared/protocol";

/** Something on the shared page the librarian can point at or go to. */
export interface PageTarget {
  nodeId: number;
  label: string;
  /** For links: where it goes. */
  href: string | null;
}

export interface LiveView {
  /** Adds events as they arrive from the patron's page. */
  add(events: PageEvent[]): void;
  /** What is under a point of the view (client coordinates), or null. */
  targetAt(clientX: number, clientY: number): PointerTarget | null;
  /** The headings, links and buttons of the shared page, in page order. */
  targets(): PageTarget[];
  /** The node's place on the page, for pointing at a picked target. */
  pointerFor(nodeId: number): PointerTarget | null;
  destroy(): void;
}

const META = 4;
const FULL_SNAPSHOT = 2;
/** Play events this far behind the patron's page, so a batch's events keep their spacing. */
const LIVE_BUFFER_MS = 300;

function textOf(el: Element): string {
  return (el.getAttribute("aria-label") || el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 120);
}

export function createLiveView(container: HTMLElement, frameTitle: string): LiveView {
  if (!document.querySelector("style[data-rrweb-replay]")) {
    const style = document.createElement("style");
    style.dataset.rrwebReplay = "";
    style.textContent = replayerCss;
    document.head.append(style);
  }
  let replayer: Replayer | null = null;
  let scale = 1;
  const fit = (width: number, height: number) => {
    if (!replayer) return;
    scale = Math.min(1, container.clientWidth / Math.max(1, width));
    const wrapper = replayer.wrapper;
    wrapper.style.transform = `scale(${scale})`;
    wrapper.style.transformOrigin = "0 0";
    container.style.height = `${Math.ceil(height * scale)}px`;
  };
  const start = (first: PageEvent) => {
    replayer = new Replayer([], { root: container, liveMode: true, mouseTail: false, showWarning: false, showDebug: false, triggerFocus: false, UNSAFE_replayCanvas: false });
    replayer.iframe.title = frameTitle;
    // rrweb's frame is sandboxed without scripts; keep it out of the tab order — the controls around it do the work.
    replayer.iframe.tabIndex = -1;
    replayer.on("resize", (d) => {
      const { width, height } = d as { width: number; height: number };
      fit(width, height);
    });
    replayer.startLive(first.timestamp - LIVE_BUFFER_MS);
  };

  const doc = () => replayer?.iframe.contentDocument ?? null;
  const pointerOf = (el: Element): PointerTarget | null => {
    const id = replayer?.getMirror().getId(el as unknown as Node);
    if (id === undefined || id < 0) return null;
    const box = el.getBoundingClientRect();
    const win = replayer!.iframe.contentWindow;
    return { nodeId: id, x: Math.max(0, box.left + (win?.scrollX ?? 0)), y: Math.max(0, box.top + (win?.scrollY ?? 0)), label: textOf(el) || el.tagName.toLowerCase() };
  };

  return {
    add(events) {
      for (const e of events) {
        // Wait for a page to start (its meta and snapshot) before showing anything.
        if (!replayer) {
          if (e.type !== META && e.type !== FULL_SNAPSHOT) continue;
          start(e);
        }
        replayer!.addEvent(e as Parameters<Replayer["addEvent"]>[0]);
      }
    },
    targetAt(clientX, clientY) {
      const d = doc();
      if (!d || !replayer) return null;
      const frame = replayer.iframe.getBoundingClientRect();
      const x = (clientX - frame.left) / scale;
      const y = (clientY - frame.top) / scale;
      const el = d.elementFromPoint(x, y);
      const win = replayer.iframe.contentWindow;
      return (el && pointerOf(el)) ?? { nodeId: null, x: x + (win?.scrollX ?? 0), y: y + (win?.scrollY ?? 0) };
    },
    targets() {
      const d = doc();
      if (!d) return [];
      return [...d.querySelectorAll("h1, h2, h3, h4, a[href], button, label")]
        .slice(0, 200)
        .flatMap((el) => {
          const id = replayer!.getMirror().getId(el as unknown as Node);
          const label = textOf(el);
          return id >= 0 && label ? [{ nodeId: id, label, href: el instanceof HTMLAnchorElement || el.tagName === "A" ? (el as HTMLAnchorElement).href : null }] : [];
        });
    },
    pointerFor(nodeId) {
      const node = replayer?.getMirror().getNode(nodeId);
      return node && node.nodeType === 1 ? pointerOf(node as Element) : null;
    },
    destroy() {
      replayer?.destroy();
      replayer = null;
      container.replaceChildren();
      container.style.height = "";
    },
  };
}
