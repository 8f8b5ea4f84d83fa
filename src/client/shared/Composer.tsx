/**
 * The message box: Enter sends, Shift+Enter starts a new line. Typing is
 * reported (throttled by the connection) so the other side sees it.
 */
import { useRef, useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import { t } from "./i18n";

export interface ComposerProps {
  id: string;
  label: string;
  disabled?: boolean;
  placeholder?: string;
  onSend: (text: string) => void;
  onTyping: (active: boolean) => void;
  /** Extra controls shown beside Send (e.g. the monitor's canned messages). */
  children?: preact.ComponentChildren;
  inputRef?: preact.RefObject<HTMLTextAreaElement>;
  /** Shown just above the message box (the monitor's script picker). */
  above?: preact.ComponentChildren;
  /** Sees each key first; true when it handled the key (Enter then does not send). */
  onKey?: (e: KeyboardEvent) => boolean;
  /** Further attributes of the message box (the script picker's ARIA). */
  inputAttrs?: preact.JSX.HTMLAttributes<HTMLTextAreaElement>;
}

export function Composer({ id, label, disabled, placeholder, onSend, onTyping, children, inputRef, above, onKey, inputAttrs }: ComposerProps) {
  const [text, setText] = useState("");
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const ref = inputRef ?? ownRef;
  const submit = () => {
    const body = text.trim();
    if (!body || disabled) return;
    onSend(body);
    setText("");
    ref.current?.focus();
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label for={id} class="visually-hidden">
        {label}
      </label>
      {above}
      <textarea
        {...inputAttrs}
        id={id}
        ref={ref}
        rows={2}
        maxLength={LIMITS.messageChars}
        value={text}
        disabled={disabled}
        placeholder={placeholder}
        aria-describedby={`${id}-hint`}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          setText(value);
          onTyping(value.length > 0);
        }}
        onKeyDown={(e) => {
          if (onKey?.(e)) return;
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <span id={`${id}-hint`} class="visually-hidden">
        {t("composer.hint")}
      </span>
      <div class="composer-actions">
        {children}
        <button type="submit" class="primary" disabled={disabled || !text.trim()}>
          {t("composer.send")}
        </button>
      </div>
    </form>
  );
}
