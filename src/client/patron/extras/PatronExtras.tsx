/**
 * What chat with viewport and co-browsing add to the patron's chat window.
 * Loaded after the window shows — in the Qwidget as a chunk of its
 * own — so the widget's first load does not grow:
 *
 * - The co-browse check: once connected, the browser reports what it can do
 *   (can this page show frames, are pop-ups blocked — known only once a page
 *   had to open in a new window —, is this the Qwidget, can it co-browse).
 * - Pushed pages: a viewport push opens in the viewport pane (./ViewportPane,
 *   its own chunk, beside the chat or below it on a phone); a window push
 *   opens a new window, and when the browser blocks that, a clear line with
 *   the link says so. Only http(s) addresses are ever loaded.
 * - Co-browsing (the Qwidget only): the librarian's request as a clear prompt;
 *   on consent the recorder chunk (rrweb) starts sharing this page, and a page
 *   of the same tab resumes sharing after a navigation.
 */
import type { RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { BrowserReport, PushedPage } from "../../../shared/protocol";
import { webUrl } from "../../../shared/web-address";
import { readSharing } from "../../qwidget/cobrowse/sharing-record";
import type { SessionSnapshot } from "../../shared/session-connection";
import { t } from "../../shared/i18n";
import type { PatronChat } from "../patron-chat";
import type { Viewport } from "./ViewportPane";
import css from "./extras.css";

// The Qwidget hands this chunk its own Preact (../../shared/preact-host.ts).
export { adoptPreact } from "../../shared/preact-adopt";
// Loaded with this chunk rather than with the Qwidget's first load: only an unavailable or finished chat shows them.
export { RatingForm } from "../RatingForm";
export { ForgetBrowser } from "../ForgetBrowser";
export { Unavailable } from "../Unavailable";

/** Loads the co-browse recorder (the Qwidget passes it; Refdesk's own chat page cannot co-browse). */
export type ShareLoader = () => Promise<typeof import("../../qwidget/cobrowse/share")>;

export interface PatronExtrasProps {
  chat: PatronChat;
  snap: SessionSnapshot;
  host: RefObject<HTMLElement>;
  sessionId: string;
  token: string;
  origin: string;
  place: "page" | "widget";
  chatMethod?: "chat" | "viewport";
  share?: ShareLoader;
}

/** The width (in em) below which the viewport sits below the chat, as in extras.css. */
export const NARROW_QUERY = "(max-width: 40em)";
const PROBE_TIMEOUT_MS = 4000;

/** Whether this page can show Refdesk in a frame (a library page's own CSP may forbid frames). */
function probeFraming(origin: string, parent: HTMLElement): Promise<boolean> {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    const done = (ok: boolean) => {
      clearTimeout(timer);
      removeEventListener("message", onMessage);
      frame.remove();
      resolve(ok);
    };
    const onMessage = (e: MessageEvent) => e.source === frame.contentWindow && e.data === "refdesk:framed" && done(true);
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    addEventListener("message", onMessage);
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.title = t("viewport.frameCheck");
    frame.src = `${origin}/viewport/probe.html`;
    parent.append(frame);
  });
}

function canCobrowse(): boolean {
  return typeof MutationObserver === "function" && typeof WeakMap === "function" && typeof Proxy === "function" && typeof WebSocket === "function";
}

/** Opens a pushed page in a new window without giving it a handle on this one; false when the browser blocked it. */
function openWindow(url: string): boolean {
  const w = window.open("", "_blank");
  if (!w) return false;
  w.opener = null;
  w.location.href = url;
  return true;
}

type Popups = BrowserReport["popups"];

export function PatronExtras(props: PatronExtrasProps) {
  const { chat, snap, host, place } = props;
  const viewportForm = props.chatMethod === "viewport";
  const H = place === "page" ? "h2" : "h3";

  // Styles, once per document or shadow root.
  useLayoutEffect(() => {
    const root = host.current?.getRootNode() as Document | ShadowRoot | undefined;
    if (!root || root.querySelector("style[data-refdesk-extras]")) return;
    const style = document.createElement("style");
    style.dataset.refdeskExtras = "";
    style.textContent = css;
    ("head" in root ? root.head : root).append(style);
  }, []);

  // ---- the co-browse check ----
  const [framing, setFraming] = useState<boolean | null | undefined>(() => (!viewportForm ? null : place === "page" ? true : undefined));
  const [popups, setPopups] = useState<Popups>("unknown");
  useEffect(() => {
    if (framing === undefined && host.current) void probeFraming(props.origin, host.current).then(setFraming);
  }, []);
  const connected = snap.connection === "open" && !!snap.session && (snap.session.status === "waiting" || snap.session.status === "active");
  useEffect(() => {
    if (!connected || framing === undefined) return;
    const report: BrowserReport = { framing, popups, qwidget: place === "widget", cobrowseSupported: canCobrowse(), narrow: matchMedia(NARROW_QUERY).matches };
    chat.sendFrame({ type: "capabilities", report });
  }, [connected, framing, popups]);

  // ---- pushed pages ----
  const [page, setPage] = useState<PushedPage | null>(null);
  const [paneOpen, setPaneOpen] = useState(true);
  const [blocked, setBlocked] = useState<PushedPage | null>(null);
  const handled = useRef<number | null>(null);
  useEffect(() => {
    if (!snap.synced) return;
    const pushes = snap.messages.filter((m) => m.kind === "push" && m.push && webUrl(m.push.url));
    if (handled.current === null) {
      // The conversation so far (a reload, another tab): show the last page the viewport had; open no windows.
      handled.current = pushes[pushes.length - 1]?.seq ?? 0;
      const last = pushes.filter((m) => m.push!.display === "viewport").pop();
      if (last && viewportForm) setPage(last.push!);
      return;
    }
    for (const m of pushes) {
      if (m.seq <= handled.current) continue;
      handled.current = m.seq;
      const p = m.push!;
      if (p.display === "viewport" && viewportForm) {
        setPage(p);
        setPaneOpen(true);
        setBlocked(null);
      } else if (document.visibilityState === "visible") {
        // Only the tab in front opens it (the patron may have the site open in several).
        const opened = openWindow(p.url);
        setPopups(opened ? "allowed" : "blocked");
        setBlocked(opened ? null : p);
      }
    }
  }, [snap.messages.length, snap.synced]);

  // The viewport pane (its own chunk) goes beside the chat column, in a slot of its own in the window.
  const showPane = viewportForm && paneOpen && (place === "page" || !!page);
  const viewport = useRef<Viewport | null>(null);
  const [paneLoaded, setPaneLoaded] = useState(false);
  useEffect(() => {
    const section = host.current;
    if (!showPane || !section) return;
    const slot = document.createElement("div");
    slot.style.display = "contents";
    let gone = false;
    void import("./ViewportPane").then((m) => {
      if (gone) return;
      section.append(slot);
      viewport.current = m.createViewport({ host: section, slot, heading: H, narrowQuery: NARROW_QUERY, onClose: () => setPaneOpen(false), say: t });
      setPaneLoaded(true);
    });
    return () => {
      gone = true;
      viewport.current?.destroy();
      viewport.current = null;
      slot.remove();
      setPaneLoaded(false);
    };
  }, [showPane]);
  useLayoutEffect(() => {
    const section = host.current;
    const on = showPane && paneLoaded;
    section?.classList.toggle("with-viewport", on);
    section?.closest(".panel")?.classList.toggle("wide", on);
    section?.closest(".chat-main")?.classList.toggle("wide", on);
    if (on) viewport.current?.show(page);
  }, [showPane, paneLoaded, page]);

  // ---- co-browsing ----
  const [sharing, setSharing] = useState(false);
  const startSharing = (sharingId?: string) => {
    const root = host.current?.getRootNode();
    if (!props.share || !(root instanceof ShadowRoot)) return;
    setSharing(true);
    void props.share().then((m) =>
      m.startSharing({ origin: props.origin, sessionId: props.sessionId, token: props.token, root, sharingId, onEnd: () => setSharing(false), say: t }),
    );
  };
  useEffect(() => {
    const saved = readSharing();
    if (saved?.sessionId === props.sessionId) startSharing(saved.sharingId);
  }, []);
  const asked = place === "widget" && snap.cobrowse?.status === "requested" && !sharing;
  const librarianName = snap.cobrowse?.librarianName;
  // The librarian's name (isolated by the catalog where directions differ).
  const librarian = librarianName ?? t("cobrowse.theLibrarian");

  return (
    <>
      {/* Always there, so a screen reader hears the request when it comes. */}
      <p class="visually-hidden" role="status">
        {asked ? t("cobrowse.asks", { librarian }) : ""}
      </p>
      {asked ? (
        <div class="consent" role="group" aria-labelledby="consent-title" aria-describedby="consent-text">
          <H id="consent-title">{t("cobrowse.title", { librarian })}</H>
          <p id="consent-text">{t("cobrowse.explain", { librarian })}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => startSharing()}>
              {t("cobrowse.share")}
            </button>
            <button type="button" onClick={() => chat.sendFrame({ type: "cobrowse.decline" })}>
              {t("cobrowse.decline")}
            </button>
          </div>
        </div>
      ) : null}
      {blocked ? (
        <p class="push-blocked" role="status">
          {t("push.blocked")}{" "}
          <a href={blocked.url} target="_blank" rel="noopener noreferrer">
            {t("push.open", { title: blocked.title ?? blocked.url })}
            <span class="visually-hidden"> {t("push.newWindow")}</span>
          </a>
        </p>
      ) : null}
      {viewportForm && !paneOpen && page ? (
        <button type="button" class="viewport-show" onClick={() => setPaneOpen(true)}>
          {t("push.showPage")}
        </button>
      ) : null}
    </>
  );
}
