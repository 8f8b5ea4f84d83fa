/** The whole transcript as it was filed: every message, in order, with who wrote it and when. */
import type { QuestionDetail } from "../../shared/questions-api";
import { MessageText } from "../shared/Transcript";
import { formatWhen, isoTime } from "./format";

export function TranscriptView({ detail, timeZone }: { detail: QuestionDetail; timeZone: string }) {
  const messages = detail.session?.transcript ?? [];
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
                    <span class="line-author">{m.author.name}</span>
                    {m.author.role === "librarian" ? " (librarian)" : ""} <time dateTime={isoTime(m.at)}>{formatWhen(m.at, timeZone)}</time>
                    {m.whileWaiting && m.seq > 1 ? " — while waiting" : ""}
                  </p>
                  <p class="line-body">
                    <MessageText text={m.body} />
                  </p>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
