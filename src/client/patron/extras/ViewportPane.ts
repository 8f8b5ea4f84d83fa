/**
 * The viewport: the page the librarian pushed, in a sandboxed frame
 * beside the chat (below it on a phone), with a splitter that resizes it by
 * pointer or keyboard (arrow keys, Home, End), a link to open the page in a
 * new window, and a close button.
 *
 * Plain DOM rather than Preact: it is a chunk of its own, loaded only for
 * chats with a viewport, and must share no code with the Qwidget's first load.
 *
 * The frame's sandbox keeps ordinary sites working: scripts, forms, their own
 * origin (so their cookies and storage work) and pop-ups (which leave the
 * sandbox, so a site's "open in new tab" behaves). Scripts plus same-origin
 * would let a page of *our* origin lift its own sandbox — but every Refdesk
 * page refuses to be framed (frame-ancestors 'none'), and a page of the
 * library's own site inside the Qwidget is no more powerful than the page
 * around it. What the frame can never do: navigate the page around it (no
 * allow-top-navigation), or load anything but http(s) (the caller checks).
 */

import type { MessageKey } from "../../shared/i18n";

export const VIEWPORT_SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox";

/** The pane's share of the window, in percent (of the width, or of the screen height on a phone). */
export const VIEWPORT_SIZE = { min: 25, max: 75, initial: 55, step: 5 } as const;

export interface ViewportPage {
  /** An http(s) address (checked by the caller). */
  url: string;
  title: string | null;
}

export interface ViewportOptions {
  /** The chat window's section: the pane goes in `slot` beside its chat column, and its size is set on it (--vp). */
  host: HTMLElement;
  slot: HTMLElement;
  heading: "h2" | "h3";
  /** The media query under which the pane sits below the chat. */
  narrowQuery: string;
  onClose: () => void;
  /** The window's words (../../shared/i18n `t`: this chunk holds no catalog of its own). */
  say: (key: MessageKey, params?: Record<string, string | number>) => string;
}

export interface Viewport {
  show(page: ViewportPage | null): void;
  destroy(): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const hidden = (text: string) => el("span", { className: "visually-hidden", textContent: text });

export function createViewport(opts: ViewportOptions): Viewport {
  const { host } = opts;
  const media = matchMedia(opts.narrowQuery);
  let size: number = VIEWPORT_SIZE.initial;

  const splitter = el("div", { className: "viewport-splitter", tabIndex: 0 });
  const { say } = opts;
  const attrs: Record<string, string> = { role: "separator", "aria-label": say("viewport.resize"), "aria-controls": "viewport-pane", "aria-valuemin": String(VIEWPORT_SIZE.min), "aria-valuemax": String(VIEWPORT_SIZE.max) };
  for (const [k, v] of Object.entries(attrs)) splitter.setAttribute(k, v);

  const title = el(opts.heading, { id: "viewport-title" });
  const open = el("a", { target: "_blank", rel: "noopener noreferrer" });
  const close = el("button", { type: "button", onclick: () => opts.onClose() }, say("viewport.close"), hidden(` ${say("viewport.closeWhat")}`));
  const bar = el("div", { className: "viewport-bar" }, title, open, close);
  const pane = el("section", { id: "viewport-pane", className: "viewport-pane" }, bar);
  pane.setAttribute("aria-labelledby", "viewport-title");
  let body: HTMLElement | null = null;
  opts.slot.append(splitter, pane);

  const apply = () => {
    host.style.setProperty("--vp", String(size));
    splitter.setAttribute("aria-orientation", media.matches ? "horizontal" : "vertical");
    splitter.setAttribute("aria-valuenow", String(size));
    splitter.setAttribute("aria-valuetext", say("viewport.size", { percent: size }));
  };
  const resize = (next: number) => {
    size = Math.round(Math.min(VIEWPORT_SIZE.max, Math.max(VIEWPORT_SIZE.min, next)));
    apply();
  };
  // Both: a media query's change event does not reach every engine on every resize.
  media.addEventListener("change", apply);
  addEventListener("resize", apply);
  apply();

  splitter.addEventListener("keydown", (e) => {
    // The pane is right of (or below) the splitter: moving the splitter left (up) makes the pane bigger.
    const grow = media.matches ? "ArrowUp" : "ArrowLeft";
    const shrink = media.matches ? "ArrowDown" : "ArrowRight";
    const step = VIEWPORT_SIZE.step;
    const next = e.key === grow ? size + step : e.key === shrink ? size - step : e.key === "Home" ? VIEWPORT_SIZE.max : e.key === "End" ? VIEWPORT_SIZE.min : null;
    if (next === null) return;
    e.preventDefault();
    resize(next);
  });
  splitter.addEventListener("pointerdown", (e) => {
    splitter.setPointerCapture(e.pointerId);
    const box = host.getBoundingClientRect();
    const move = (m: PointerEvent) => resize(media.matches ? ((box.bottom - m.clientY) / innerHeight) * 100 : ((box.right - m.clientX) / box.width) * 100);
    const up = () => {
      splitter.removeEventListener("pointermove", move);
      splitter.removeEventListener("pointerup", up);
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("pointerup", up);
  });

  let shown: string | null | undefined;
  return {
    show(page) {
      const url = page?.url ?? null;
      if (url === shown) return;
      shown = url;
      const name = page?.title ?? url ?? "";
      title.textContent = url ? say("viewport.titleOf", { title: name }) : say("viewport.title");
      open.hidden = !url;
      open.replaceChildren(say("viewport.open"), hidden(` (${name})`));
      if (url) open.href = url;
      body?.remove();
      body = url
        ? el("iframe", { className: "viewport-frame", title: say("viewport.titleOf", { title: name }), referrerPolicy: "no-referrer" })
        : el("p", { className: "viewport-empty", textContent: say("viewport.empty") });
      if (url) body.setAttribute("sandbox", VIEWPORT_SANDBOX);
      // The sandbox must be in place before the frame loads anything: set src last.
      if (url) (body as HTMLIFrameElement).src = url;
      pane.append(body);
    },
    destroy() {
      media.removeEventListener("change", apply);
      removeEventListener("resize", apply);
      splitter.remove();
      pane.remove();
    },
  };
}
