/**
 * A modal dialog on the native <dialog> element: showModal() keeps focus
 * inside and makes the rest of the page inert; Escape closes it. Focus goes
 * back to where it was when the dialog closes.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export interface ModalProps {
  /** Id of the dialog's heading (its accessible name). */
  titleId: string;
  title: ComponentChildren;
  onClose: () => void;
  class?: string;
  children: ComponentChildren;
}

export function Modal({ titleId, title, onClose, class: className, children }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal?.();
    return () => {
      if (dialog.current?.open) dialog.current.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class={`modal ${className ?? ""}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
