/** The keyboard shortcuts, from the one table the key handler uses. */
import { Fragment } from "preact";
import { DataTable } from "../shared/DataTable";
import { DialogFooter } from "./DialogFooter";
import { Modal } from "./Modal";
import { SHORTCUTS } from "./shortcuts";

/** Each shortcut, and last the keys every message box answers to (not the monitor's own). */
const ROWS = [
  ...SHORTCUTS.map((s) => ({ id: s.id, keys: [s.label], action: s.description })),
  { id: "enter", keys: ["Enter", "Shift+Enter"], action: "In a message box: send / start a new line" },
];

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal titleId="help-title" title="Keyboard shortcuts" onClose={onClose} class="help-dialog">
      <p>On a Mac, Alt is the Option key. Escape closes any dialog. In the chat tabs, the arrow keys move between chats.</p>
      <DataTable
        class="shortcuts"
        caption="Keyboard shortcuts"
        rows={ROWS}
        rowKey={(r) => r.id}
        columns={[
          {
            header: "Keys",
            cell: (r) =>
              r.keys.map((k, i) => (
                <Fragment key={k}>
                  {i > 0 ? " / " : null}
                  <kbd>{k}</kbd>
                </Fragment>
              )),
          },
          { header: "Action", cell: (r) => r.action },
        ]}
      />
      <DialogFooter onClose={onClose} closeIsMain />
    </Modal>
  );
}
