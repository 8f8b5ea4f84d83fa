/**
 * Co-browsing in the monitor: while the librarian waits for the
 * patron's consent, a line that says so (and a way to withdraw the request);
 * while the patron shares, the live view of their page (./cobrowse/replay.ts,
 * loaded only now) with the controls: point at something (click the view, or
 * pick from the page's headings, links and buttons — the keyboard way), take
 * the patron's page to another page of the same site, show the whole page
 * again, stop.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { nameInText } from "../../shared/display-text";
import type { CobrowseView, PageEvent, SessionClientMessage } from "../../shared/protocol";
import type { LiveView, PageTarget } from "./cobrowse/replay";

/** Events that came before the view was ready (the page's first snapshot among them). */
const BUFFER_EVENTS = 5000;

export interface CobrowsePanelProps {
  sessionId: string;
  patronName: string;
  cobrowse: CobrowseView;
  send: (frame: SessionClientMessage) => boolean;
  /** Where the page's events arrive: the panel registers its consumer here. */
  events: { current: ((events: PageEvent[]) => void) | null };
  onNotice: (text: string) => void;
}

export function CobrowsePanel({ sessionId, patronName, cobrowse, send, events, onNotice }: CobrowsePanelProps) {
  const id = (name: string) => `cobrowse-${name}-${sessionId}`;
  const sharing = cobrowse.status === "active" || cobrowse.status === "paused";
  const view = useRef<HTMLDivElement>(null);
  const live = useRef<LiveView | null>(null);
  const [ready, setReady] = useState(false);
  const [pointing, setPointing] = useState(false);
  const [targets, setTargets] = useState<PageTarget[]>([]);
  const [pick, setPick] = useState("");
  const [goTo, setGoTo] = useState("");

  useEffect(() => {
    if (!sharing) return;
    const buffer: PageEvent[] = [];
    events.current = (batch) => {
      if (live.current) live.current.add(batch);
      else buffer.push(...batch.slice(0, BUFFER_EVENTS - buffer.length));
    };
    let gone = false;
    void import("./cobrowse/replay").then((m) => {
      if (gone || !view.current) return;
      live.current = m.createLiveView(view.current, `${patronName}'s page (live view)`);
      live.current.add(buffer.splice(0));
      setReady(true);
      // Whatever came before this view: ask for the whole page again.
      send({ type: "cobrowse.resync" });
    });
    return () => {
      gone = true;
      events.current = null;
      live.current?.destroy();
      live.current = null;
      setReady(false);
    };
  }, [sharing]);

  // The page's targets change as it does: refresh the lists now and then while sharing.
  useEffect(() => {
    if (!ready) return;
    const refresh = () => setTargets(live.current?.targets() ?? []);
    refresh();
    const t = setInterval(refresh, 2000);
    return () => clearInterval(t);
  }, [ready, cobrowse.url]);

  const point = (target: ReturnType<LiveView["targetAt"]>) => {
    if (!target) return;
    if (send({ type: "cobrowse.point", target })) onNotice(`Showing ${nameInText(patronName)}: ${target.label ?? "this spot"}.`);
  };

  if (cobrowse.status === "requested") {
    return (
      <p class="banner cobrowse-waiting">
        Waiting for <bdi>{patronName}</bdi> to agree to share their page…{" "}
        <button type="button" onClick={() => send({ type: "cobrowse.stop" })}>
          Withdraw the request
        </button>
      </p>
    );
  }
  if (!sharing) return null;
  const links = targets.filter((t) => t.href);
  return (
    <section class="cobrowse" aria-labelledby={id("heading")}>
      <div class="cobrowse-head">
        <h3 id={id("heading")}>
          Co-browsing with <bdi>{patronName}</bdi>
        </h3>
        <p class="cobrowse-status" role="status">
          {cobrowse.status === "paused" ? "The patron's next page is loading…" : `Live: ${cobrowse.title ?? cobrowse.url ?? "their page"}`}
        </p>
        <button type="button" class="danger" onClick={() => send({ type: "cobrowse.stop" })}>
          Stop co-browsing
        </button>
      </div>
      <p class="help break">{cobrowse.url}</p>
      <div class={`cobrowse-view${pointing ? " pointing" : ""}`}>
        <div ref={view} class="cobrowse-replay" aria-label={`Live view of ${patronName}'s page`} role="region" />
        {pointing ? (
          <div
            class="cobrowse-overlay"
            aria-hidden="true"
            onClick={(e) => {
              point(live.current?.targetAt(e.clientX, e.clientY) ?? null);
              setPointing(false);
            }}
          />
        ) : null}
        {!ready ? <p class="loading">Loading the live view…</p> : null}
      </div>
      <div class="cobrowse-controls">
        <button type="button" aria-pressed={pointing} onClick={() => setPointing((p) => !p)}>
          {pointing ? "Click the page to point (or press here to cancel)" : "Point with the mouse"}
        </button>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const nodeId = Number(pick);
            if (pick) point(live.current?.pointerFor(nodeId) ?? null);
          }}
        >
          <label for={id("pick")}>Point at</label>
          <select id={id("pick")} value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a heading, link or button…</option>
            {targets.map((t) => (
              <option key={t.nodeId} value={String(t.nodeId)}>
                {t.label}
              </option>
            ))}
          </select>
          <button type="submit">Point</button>
        </form>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (goTo.trim() && send({ type: "cobrowse.navigate", url: goTo.trim() })) onNotice(`Taking ${nameInText(patronName)}'s page to ${goTo.trim()}.`);
          }}
        >
          <label for={id("go")}>Take the patron to</label>
          <input id={id("go")} type="url" list={id("links")} placeholder="A page of the same site" value={goTo} onInput={(e) => setGoTo((e.target as HTMLInputElement).value)} />
          <datalist id={id("links")}>
            {links.map((l) => (
              <option key={l.nodeId} value={l.href ?? ""}>
                {l.label}
              </option>
            ))}
          </datalist>
          <button type="submit">Go</button>
        </form>
        <button type="button" onClick={() => send({ type: "cobrowse.resync" })}>
          Show the whole page again
        </button>
      </div>
    </section>
  );
}
