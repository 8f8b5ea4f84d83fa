/**
 * The Qwidget itself, loaded by the loader (./loader.ts) into its shadow root
 * when the patron opens it or has a chat to resume. A panel beside the
 * launcher: the start form, then the chat window in place. Focus moves into
 * the panel when the patron opens it and back to the launcher when it closes;
 * Escape closes it. The chat survives page loads (./chat-record.ts) and is
 * shared by the site's tabs over one socket (../patron/patron-chat.ts).
 */
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import chatCss from "../../../public/styles/chat.css";
import type { EmbedStatus } from "../../shared/api";
import { ChatWindow } from "../patron/ChatWindow";
import { patronPost } from "../patron/patron-api";
import { setMessages, t, type Messages } from "../shared/i18n";
import { directionOf } from "../../i18n/languages";
import { forgetRecord, LANGUAGE_KEY, readRecord, writeRecord, type ChatRecord } from "./chat-record";
import { StartForm } from "./StartForm";
import widgetCss from "./widget.css";

export interface WidgetContext {
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  status: EmbedStatus;
  /** The Refdesk service's origin. */
  origin: string;
}

interface Controls {
  toggle: () => void;
}

/**
 * Each language's messages, chunks of their own (scripts/build.mjs names them
 * by content hash): only the patron's language loads — what the widget shows
 * first with it, what a chat under way shows (system lines, the extras'
 * words) once there is a chat.
 */
declare const QWIDGET_CATALOGS: Record<string, [first: string, chat: string]>;

/** Loads a part of `tag`'s messages (0: the first, 1: the chat's) and shows them. */
async function loadLanguage(tag: string, part: 0 | 1 = 0): Promise<void> {
  // A name in a variable, so the bundler leaves the import to the browser (resolved beside this file).
  const file = `./${(QWIDGET_CATALOGS[tag] ?? QWIDGET_CATALOGS.en!)[part]}`;
  const m = (await import(file)) as { default: Messages };
  setMessages(tag, m.default);
}

function Widget({ launcher, status, origin, controls }: WidgetContext & { controls: Controls }) {
  const [record, setRecord] = useState<ChatRecord | null>(readRecord);
  const [language, setLanguage] = useState(status.language.tag);
  // A chat's words (system lines, the extras') once there is a chat; the window shows again with them.
  const [, setChatWords] = useState("");
  useEffect(() => {
    if (record) void loadLanguage(language, 1).then(() => setChatWords(language));
  }, [!!record, language]);
  const switchLanguage = (tag: string) =>
    void Promise.all([loadLanguage(tag), record && loadLanguage(tag, 1), record && patronPost(origin, `/api/chats/${record.sessionId}/language`, { language: tag }, record.token)]).then(() => {
      try {
        localStorage.setItem(LANGUAGE_KEY, tag);
      } catch {
        // Storage blocked: the choice lasts for this page.
      }
      setLanguage(tag);
    });
  // A chat in progress reopens as the patron left it, without taking focus; a fresh page starts closed.
  // Whether to move focus travels with the state it belongs to, so no effect of an older render can take it.
  const [panel, setPanel] = useState(() => ({ open: readRecord()?.open ?? false, byPatron: false }));
  const open = panel.open;
  /** The patron asked from this page just now (not a chat resumed on page load): the cursor follows into the chat. */
  const [startedHere, setStartedHere] = useState(false);
  const element = useRef<HTMLDivElement>(null);
  const setOpenByPatron = (next: (was: boolean) => boolean) => setPanel((p) => ({ open: next(p.open), byPatron: true }));
  controls.toggle = () => setOpenByPatron((was) => !was);

  useEffect(() => {
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-controls", "rd-panel");
    const saved = readRecord();
    if (saved && saved.open !== open) writeRecord({ ...saved, open });
    if (!panel.byPatron) return;
    if (!open) return launcher.focus();
    const p = element.current;
    (p?.querySelector<HTMLElement>("textarea:not([disabled])") ?? p?.querySelector<HTMLElement>("h2"))?.focus();
  }, [panel]);

  // Another tab started or finished a chat (the site's other storage changes read the same record again, harmlessly).
  useEffect(() => {
    const onStorage = () => setRecord(readRecord());
    addEventListener("storage", onStorage);
    return () => removeEventListener("storage", onStorage);
  }, []);

  const { library } = status;
  return (
    <div
      id="rd-panel"
      ref={element}
      class="panel"
      role="dialog"
      aria-labelledby="rd-title"
      hidden={!open}
      lang={language}
      dir={directionOf(language)}
      style={{ "--brand": library.brandColor, "--brand-text": library.brandText }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          setOpenByPatron(() => false);
        }
      }}
    >
      <div class="head">
        <h2 id="rd-title" tabIndex={-1}>
          {t("widget.title", { library: library.name })}
        </h2>
        <button type="button" class="hide" aria-label={t("widget.minimize")} onClick={() => setOpenByPatron(() => false)}>
          −
        </button>
      </div>
      <div class="body">
        {record ? (
          <ChatWindow
            key={record.sessionId}
            sessionId={record.sessionId}
            token={record.token}
            origin={origin}
            libraryName={library.name}
            alternatives={status.alternatives}
            waitLimitSeconds={status.waitLimitSeconds}
            place="widget"
            labelledBy="rd-title"
            focusComposer={startedHere}
            chatMethod={status.chatMethod}
            share={() => import("./cobrowse/share")}
            languages={status.language.offered}
            language={language}
            onLanguage={switchLanguage}
            onFinished={() => {
              forgetRecord();
              setRecord(null);
              element.current?.querySelector("h2")?.focus();
            }}
          />
        ) : (
          <StartForm
            status={status}
            origin={origin}
            loadChatWords={() => loadLanguage(language, 1)}
            onStarted={(r) => {
              writeRecord(r);
              setStartedHere(true);
              setRecord(r);
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Loads the patron's language, renders the panel into the loader's shadow root; returns what the launcher calls to open or close it. */
export async function mount(ctx: WidgetContext): Promise<() => void> {
  await loadLanguage(ctx.status.language.tag);
  const style = document.createElement("style");
  style.textContent = chatCss + widgetCss;
  const container = document.createElement("div");
  ctx.root.append(style);
  (ctx.root.querySelector("aside") ?? ctx.root).append(container);
  const controls: Controls = { toggle: () => {} };
  render(<Widget {...ctx} controls={controls} />, container);
  return () => controls.toggle();
}
