/** The keyboard shortcuts, from the one table the key handler uses. */
import { Modal } from "./Modal";
import { SHORTCUTS } from "./shortcuts";

export function HelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal titleId="help-title" title="Keyboard shortcuts" onClose={onClose} class="help-dialog">
      <p>On a Mac, Alt is the Option key. Escape closes any dialog. In the chat tabs, the arrow keys move between chats.</p>
      <table class="shortcuts">
        <caption class="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.id}>
              <td>
                <kbd>{s.label}</kbd>
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Enter</kbd> / <kbd>Shift+Enter</kbd>
            </td>
            <td>In a message box: send / start a new line</td>
          </tr>
        </tbody>
      </table>
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
