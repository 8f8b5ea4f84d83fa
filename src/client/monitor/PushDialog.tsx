/**
 * "Push a page": the librarian types an address or picks one of the
 * patron library's key links (from its policy page) or a link in the canned
 * messages. The service checks whether the page may be shown inside another
 * page; the answer says where it opened for the patron — the viewport, or a
 * new window and why — and the push is in the transcript either way.
 */
import { useEffect, useState } from "preact/hooks";
import { nameInText } from "../../shared/display-text";
import type { ChatMessage } from "../../shared/protocol";
import { webUrlProblem } from "../../shared/web-address";
import { linkify } from "../shared/linkify";
import { newClientId } from "../shared/session-connection";
import { api } from "./api";
import { DialogFooter } from "./DialogFooter";
import { LinkFields } from "./LinkFields";
import { Modal } from "./Modal";
import type { ScriptView as CannedMessage } from "../../shared/scripts";

export interface PushDialogProps {
  sessionId: string;
  patronName: string;
  libraryId: string | null;
  scripts: CannedMessage[];
  onPushed: (notice: string) => void;
  onClose: () => void;
}

interface QuickLink {
  label: string;
  url: string;
}

/** The links inside the canned messages, each once. */
export function cannedLinks(scripts: CannedMessage[]): QuickLink[] {
  const seen = new Set<string>();
  const links: QuickLink[] = [];
  for (const s of scripts) {
    for (const part of linkify(s.body)) {
      if (part.kind !== "link" || seen.has(part.href) || webUrlProblem(part.href)) continue;
      seen.add(part.href);
      links.push({ label: s.title, url: part.href });
    }
  }
  return links;
}

/** What the librarian is told after a push. */
export function pushNotice(message: ChatMessage, patronName: string): string {
  const p = message.push!;
  const name = p.title ?? p.url;
  const patron = nameInText(patronName);
  return p.display === "viewport" ? `${name} is showing beside the chat for ${patron}.` : `${name} opens in a new window for ${patron}: ${p.reason}.`;
}

export function PushDialog({ sessionId, patronName, libraryId, scripts, onPushed, onClose }: PushDialogProps) {
  const [url, setUrl] = useState("");
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<{ field: "url" | "title" | ""; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [keyLinks, setKeyLinks] = useState<QuickLink[]>([]);
  const id = (name: string) => `push-${name}-${sessionId}`;

  useEffect(() => {
    if (!libraryId) return;
    void api<{ page: { links: { label: string; url: string }[] } }>(`/api/policies/${encodeURIComponent(libraryId)}`).then((r) => r.ok && setKeyLinks(r.data.page.links));
  }, [libraryId]);

  const push = async (pushUrl: string, pushTitle: string) => {
    const local = webUrlProblem(pushUrl);
    if (local) {
      setProblem({ field: "url", message: local });
      document.getElementById(id("url"))?.focus();
      return;
    }
    setBusy(true);
    const res = await api<{ message: ChatMessage }>(`/api/chats/${sessionId}/push`, {
      method: "POST",
      body: { url: pushUrl.trim(), title: pushTitle.trim() || undefined, clientId: newClientId() },
    });
    setBusy(false);
    if (!res.ok) {
      const field = res.error.field === "url" || res.error.field === "title" ? res.error.field : "";
      setProblem({ field, message: res.error.message });
      if (field) document.getElementById(id(field))?.focus();
      return;
    }
    onPushed(pushNotice(res.data.message, patronName));
    onClose();
  };
  const quick = [...keyLinks.map((l) => ({ ...l, from: "Key link" })), ...cannedLinks(scripts).map((l) => ({ ...l, from: "Canned message" }))];

  return (
    <Modal titleId={id("heading")} title={
        <>
          Push a page to <bdi>{patronName}</bdi>
        </>
      } onClose={onClose} class="small-dialog">
      <form
        class="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void push(url, title);
        }}
      >
        <LinkFields id={id} url={url} title={title} onUrl={setUrl} onTitle={setTitle} problem={problem} titleHint="(optional)" urlHelpId={id("help")} />
        <p id={id("help")} class="help">
          Pages that allow it open beside the chat; others open in a new window for the patron. Every push is kept in the transcript.
        </p>
        <DialogFooter action={{ label: "Push page", busyLabel: "Checking the page…" }} busy={busy} error={problem && !problem.field ? problem.message : null} onClose={onClose} />
      </form>
      {quick.length > 0 ? (
        <section aria-labelledby={id("quick")}>
          <h3 id={id("quick")}>Key links and links in canned messages</h3>
          <ul class="push-links">
            {quick.map((l) => (
              <li key={`${l.from}:${l.url}`}>
                <button type="button" disabled={busy} onClick={() => void push(l.url, l.label)}>
                  Push {l.label}
                  <span class="push-link-url"> ({l.from}: {l.url})</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Modal>
  );
}
