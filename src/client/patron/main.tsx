/**
 * Entry point of the hosted chat page (/chat/:id). The chat token arrives in
 * the URL fragment (never sent to a server); it is kept in localStorage for
 * this session so a reload resumes the chat, and removed from the address bar.
 */
import { render } from "preact";
import type { Alternatives } from "../../shared/api";
import { compileMessages } from "../../i18n/message-format";
import { setMessages, t, type MessageKey } from "../shared/i18n";
import { ChatWindow } from "./ChatWindow";
import { patronPost } from "./patron-api";
import { tokenStore } from "./token-store";

interface Bootstrap {
  sessionId: string;
  libraryName: string;
  alternatives: Alternatives;
  waitLimitSeconds: number;
  chatMethod: "chat" | "viewport";
  /** The language the server chose (the page's `<html lang dir>` follow it), and the others the form offers. */
  language: { tag: string; dir: "ltr" | "rtl"; offered: { tag: string; name: string }[] };
  /** That language's messages. */
  catalog: Partial<Record<MessageKey, string>>;
}

const boot = JSON.parse(document.getElementById("bootstrap")!.textContent!) as Bootstrap;
setMessages(boot.language.tag, compileMessages(boot.catalog));
/** Switching language tells the chat (its mails follow) and loads the page again in it: the server words the page, the window and its dates anew. */
const switchLanguage = (tag: string) => {
  const url = new URL(location.href);
  url.searchParams.set("lang", tag);
  void patronPost(location.origin, `/api/chats/${boot.sessionId}/language`, { language: tag }, token ?? undefined).finally(() => location.assign(url));
};
const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromHash) {
  tokenStore.save(boot.sessionId, fromHash);
  history.replaceState(null, "", location.pathname + location.search);
}
const token = tokenStore.load(boot.sessionId);
const root = document.getElementById("chat-root")!;
// The server's "Connecting…" placeholder goes: Preact would leave it below the window.
root.replaceChildren();

if (!token) {
  render(
    <section class="chat-window">
      <h1>{t("chat.linkIncompleteTitle")}</h1>
      <p>{t("chat.linkIncompleteText")}</p>
    </section>,
    root,
  );
} else {
  render(
    <>
      <h1 id="chat-heading" tabIndex={-1} ref={(h) => h?.focus()}>
        {t("chat.title", { library: boot.libraryName })}
      </h1>
      <ChatWindow
      sessionId={boot.sessionId}
      token={token}
      origin={location.origin}
      libraryName={boot.libraryName}
      alternatives={boot.alternatives}
      waitLimitSeconds={boot.waitLimitSeconds}
      chatMethod={boot.chatMethod}
      place="page"
      labelledBy="chat-heading"
      languages={boot.language.offered}
      language={boot.language.tag}
      onLanguage={switchLanguage}
    />
    </>,
    root,
  );
}
