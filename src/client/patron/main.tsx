/**
 * Entry point of the hosted chat page (/chat/:id). The chat token arrives in
 * the URL fragment (never sent to a server); it is kept in localStorage for
 * this session so a reload resumes the chat, and removed from the address bar.
 */
import { render } from "preact";
import type { Alternatives } from "../../shared/api";
import { ChatWindow } from "./ChatWindow";
import { tokenStore } from "./token-store";

interface Bootstrap {
  sessionId: string;
  libraryName: string;
  alternatives: Alternatives;
  waitLimitSeconds: number;
  chatMethod: "chat" | "viewport";
}

const boot = JSON.parse(document.getElementById("bootstrap")!.textContent!) as Bootstrap;
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
      <h1>Chat link incomplete</h1>
      <p>This chat can only be opened from the browser that started it. Please start a new chat.</p>
    </section>,
    root,
  );
} else {
  render(
    <>
      <h1 id="chat-heading" tabIndex={-1} ref={(h) => h?.focus()}>
        Chat with <bdi>{boot.libraryName}</bdi>
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
    />
    </>,
    root,
  );
}
