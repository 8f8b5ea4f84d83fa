/**
 * The open chats as tabs (WAI-ARIA tabs pattern): one tab stop for the whole
 * list (roving tabindex); Left/Right arrows move and select, Home/End jump to
 * the ends. Each tab says how many messages are unread and whether the chat
 * waits for its codes or is being transferred.
 */
import { useRef } from "preact/hooks";
import type { SessionStatus } from "../../shared/protocol";

export interface TabInfo {
  sessionId: string;
  patronName: string;
  unread: number;
  status: SessionStatus | null;
  transferring: boolean;
}

export interface SessionTabsProps {
  tabs: TabInfo[];
  active: string | null;
  onSelect: (sessionId: string) => void;
}

/** The index a key moves to from `index` in a list of `count` tabs, or null for other keys. */
export function tabIndexAfterKey(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  if (key === "ArrowRight") return (index + 1) % count;
  if (key === "ArrowLeft") return (index - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

export function SessionTabs({ tabs, active, onSelect }: SessionTabsProps) {
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});
  const focusable = tabs.some((t) => t.sessionId === active) ? active : (tabs[0]?.sessionId ?? null);
  return (
    <div role="tablist" aria-label="Open chats" class="session-tabs">
      {tabs.map((t, i) => (
        <button
          key={t.sessionId}
          ref={(el) => {
            buttons.current[t.sessionId] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.sessionId}`}
          class={t.status === "patron_left" ? "tab-needs-codes" : undefined}
          aria-selected={active === t.sessionId}
          aria-controls={`panel-${t.sessionId}`}
          aria-keyshortcuts={i < 9 ? `Alt+Shift+${i + 1}` : undefined}
          tabIndex={focusable === t.sessionId ? 0 : -1}
          onClick={() => onSelect(t.sessionId)}
          onKeyDown={(e) => {
            const next = tabIndexAfterKey(e.key, i, tabs.length);
            if (next === null) return;
            e.preventDefault();
            const target = tabs[next]!.sessionId;
            onSelect(target);
            buttons.current[target]?.focus();
          }}
        >
          <bdi>{t.patronName}</bdi>
          {t.status === "patron_left" ? <span class="tab-flag"> — left, needs codes</span> : null}
          {t.transferring ? <span class="tab-flag"> — transferring</span> : null}
          {t.unread > 0 ? <span class="badge"> ({t.unread} unread)</span> : null}
        </button>
      ))}
    </div>
  );
}
