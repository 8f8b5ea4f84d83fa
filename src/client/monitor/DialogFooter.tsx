/**
 * The foot of every monitor dialog, so each reads and works the same: the
 * dialog's action first (its form's submit button, primary; disabled while it
 * runs, saying what it is doing), then the button that leaves without doing
 * anything — "Cancel" beside an action, "Close" when there is none. A problem
 * with the whole form is announced just above the buttons it came from.
 */
import { ErrorLine } from "../shared/ErrorLine";

export interface DialogFooterProps {
  /** The dialog's action: the submit button of the form the footer ends. Without one the footer only closes. */
  action?: { label: string; busyLabel?: string };
  /** The action is under way. */
  busy?: boolean;
  error?: string | null;
  onClose: () => void;
  /** Closing is all the dialog offers (it only shows something): Close is primary and takes the focus. */
  closeIsMain?: boolean;
}

export function DialogFooter({ action, busy, error, onClose, closeIsMain }: DialogFooterProps) {
  return (
    <>
      <ErrorLine message={error} />
      <div class="dialog-actions">
        {action ? (
          <button type="submit" class="primary" disabled={busy}>
            {busy && action.busyLabel ? action.busyLabel : action.label}
          </button>
        ) : null}
        <button type="button" class={closeIsMain ? "primary" : undefined} autoFocus={closeIsMain} onClick={onClose}>
          {action ? "Cancel" : "Close"}
        </button>
      </div>
    </>
  );
}
