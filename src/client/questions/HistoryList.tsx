/** Every action on the question — who, what, when — oldest first. */
import type { QuestionDetail } from "../../shared/questions-api";
import { formatWhen, isoTime } from "./format";

export function HistoryList({ detail, timeZone }: { detail: QuestionDetail; timeZone: string }) {
  return (
    <section aria-labelledby="history-heading" class="panel">
      <h2 id="history-heading">History</h2>
      <ol class="history">
        {detail.events.map((e) => (
          <li key={e.id}>
            <time dateTime={isoTime(e.at)}>{formatWhen(e.at, timeZone)}</time>{" "}
            {e.actor ? (
              <>
                <strong>
                  <bdi>{e.actor.name}</bdi>
                </strong>{" "}
                {e.summary}
              </>
            ) : (
              e.summary
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
