/**
 * The whole transcript as it was filed: every message, in order, with who
 * wrote it and when — the name isolated, the role as a marker of its own
 * beside it (src/shared/author-labels.ts), so no name can pass for a role.
 * Files show as in the chat (images as thumbnails, PDFs as links) until the
 * library's retention deletes them.
 */
import { ROLE_MARKERS } from "../../shared/author-labels";
import type { QuestionDetail } from "../../shared/questions-api";
import { FileView } from "../shared/FileView";
import { MessageText } from "../shared/Transcript";
import { formatWhen, isoTime } from "./format";

export function TranscriptView({ detail, timeZone }: { detail: QuestionDetail; timeZone: string }) {
  const messages = detail.session?.transcript ?? [];
  const sessionId = detail.session?.id;
  return (
    <section aria-labelledby="transcript-heading" class="panel">
      <h2 id="transcript-heading">Transcript</h2>
      {messages.length === 0 ? (
        <p>There is no transcript for this question.</p>
      ) : (
        <ol class="filed-transcript">
          {messages.map((m) => (
            <li key={m.seq} class={`line line-${m.author.role}`}>
              {m.kind === "system" ? (
                <p class="line-system">
                  <MessageText text={m.body} /> <time dateTime={isoTime(m.at)}>{formatWhen(m.at, timeZone)}</time>
                </p>
              ) : (
                <>
                  <p class="line-meta">
                    <bdi class="line-author">{m.author.name}</bdi> <span class="line-role">{ROLE_MARKERS[m.author.role === "librarian" ? "librarian" : "patron"]}</span>{" "}
                    <time dateTime={isoTime(m.at)}>{formatWhen(m.at, timeZone)}</time>
                    {m.whileWaiting && m.seq > 1 ? " — while waiting" : ""}
                  </p>
                  {m.kind === "file" && m.file && sessionId ? (
                    <div class="line-body">
                      <FileView file={m.file} link={(fileId) => `/api/chats/${sessionId}/files/${fileId}`} />
                    </div>
                  ) : (
                    <p class="line-body" dir="auto">
                      <MessageText text={m.body} />
                    </p>
                  )}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
