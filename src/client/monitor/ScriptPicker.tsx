/**
 * Scripts from the message box: typing "/" and a few letters (at the start or
 * after a space) offers the matching scripts above the box; Up and Down
 * choose, Enter or Tab inserts, Escape closes. The message box stays the
 * focus (aria-activedescendant points at the chosen option), so typing goes on
 * as usual. Inserting replaces the "/…" typed with the script's text, its
 * placeholders filled in for this chat.
 */
import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";
import { matchScripts, slashQuery, type ScriptView } from "../../shared/scripts";

export interface ScriptPickerOptions {
  id: string;
  input: RefObject<HTMLTextAreaElement>;
  scripts: ScriptView[];
  enabled: boolean;
  /** Puts `script` in place of the text from `start` to `end`. */
  insert: (script: ScriptView, start: number, end: number) => void;
}

interface Open {
  start: number;
  query: string;
  active: number;
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";

export function useScriptPicker({ id, input, scripts, enabled, insert }: ScriptPickerOptions) {
  const [open, setOpen] = useState<Open | null>(null);
  const matches = open ? matchScripts(scripts, open.query) : [];
  const shown = open !== null && matches.length > 0;

  useEffect(() => {
    const el = input.current;
    if (!el || !enabled) return;
    const update = () => {
      const q = scripts.length > 0 ? slashQuery(el.value.slice(0, el.selectionStart ?? el.value.length)) : null;
      setOpen((was) => (q ? { ...q, active: was && was.query === q.query ? was.active : 0 } : null));
    };
    const close = () => setOpen(null);
    el.addEventListener("input", update);
    el.addEventListener("blur", close);
    return () => {
      el.removeEventListener("input", update);
      el.removeEventListener("blur", close);
    };
  }, [enabled, scripts, input.current]);

  const choose = (script: ScriptView) => {
    const el = input.current;
    if (!open || !el) return;
    setOpen(null);
    insert(script, open.start, el.selectionStart ?? el.value.length);
  };

  const onKey = (e: KeyboardEvent): boolean => {
    if (!shown || !open) return false;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const step = e.key === "ArrowDown" ? 1 : -1;
      setOpen({ ...open, active: (open.active + step + matches.length) % matches.length });
    } else if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
      choose(matches[Math.min(open.active, matches.length - 1)]!);
    } else if (e.key === "Escape") {
      setOpen(null);
    } else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  };

  const listId = `${id}-scripts`;
  const active = open ? Math.min(open.active, matches.length - 1) : 0;
  const inputAttrs = {
    "aria-autocomplete": "list" as const,
    ...(shown ? { "aria-controls": listId, "aria-activedescendant": `${listId}-${active}` } : {}),
  };
  const above = (
    <>
      <p class="visually-hidden" role="status">
        {shown ? `${matches.length} ${matches.length === 1 ? "script matches" : "scripts match"}. Up and Down choose, Enter inserts, Escape closes.` : ""}
      </p>
      {shown ? (
        <ul class="script-picker" role="listbox" id={listId} aria-label="Matching scripts">
          {matches.map((s, i) => (
            <li
              key={s.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? "active" : undefined}
              // Clicking must not take focus from the message box first (that would close the picker).
              onMouseDown={(e) => {
                e.preventDefault();
                choose(s);
              }}
            >
              <strong>{s.title}</strong>
              {s.category ? <span class="script-category"> · {s.category}</span> : null}
              <span class="script-line"> {firstLine(s.body)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
  return { above, onKey, inputAttrs };
}
