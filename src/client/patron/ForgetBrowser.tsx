/**
 * In the Qwidget, after a chat: the patron may make this browser forget the
 * anonymous id it sends with new chats (by which librarians see their earlier
 * chats with the library), and stop sending one.
 */
import { useState } from "preact/hooks";
import { forgetBrowserId, keepsBrowserId } from "../qwidget/chat-record";

export function ForgetBrowser({ libraryName }: { libraryName: string }) {
  const [kept, setKept] = useState(keepsBrowserId);
  const [done, setDone] = useState(false);
  if (done) return <p role="status">This browser no longer tells the library which chats were yours.</p>;
  if (!kept) return null;
  return (
    <p class="help">
      This browser keeps an anonymous number so <bdi>{libraryName}</bdi>'s librarians can see your earlier chats here (removed after the library's retention period).{" "}
      <button
        type="button"
        onClick={() => {
          forgetBrowserId();
          setKept(false);
          setDone(true);
        }}
      >
        Forget this browser
      </button>
    </p>
  );
}
