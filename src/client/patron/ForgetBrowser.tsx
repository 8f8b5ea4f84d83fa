/**
 * In the Qwidget, after a chat: the patron may make this browser forget the
 * anonymous id it sends with new chats (by which librarians see their earlier
 * chats with the library), and stop sending one.
 */
import { useState } from "preact/hooks";
import { forgetBrowserId, keepsBrowserId } from "../qwidget/chat-record";
import { t } from "../shared/i18n";

export function ForgetBrowser({ libraryName }: { libraryName: string }) {
  const [kept, setKept] = useState(keepsBrowserId);
  const [done, setDone] = useState(false);
  if (done) return <p role="status">{t("forget.done")}</p>;
  if (!kept) return null;
  return (
    <p class="help">
      {t("forget.note", { library: libraryName })}{" "}
      <button
        type="button"
        onClick={() => {
          forgetBrowserId();
          setKept(false);
          setDone(true);
        }}
      >
        {t("forget.button")}
      </button>
    </p>
  );
}
