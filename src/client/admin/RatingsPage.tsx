/**
 * /admin/libraries/:id/ratings — what the library's patrons said after their
 * chats: how many rated and the average, then each rating with its comment and
 * survey answers, who answered, and a link to the question and its transcript.
 */
import { useEffect, useState } from "preact/hooks";
import { RATING } from "../../shared/limits";
import type { AdminBootstrap } from "../../shared/admin-views";
import type { RatingView } from "../../shared/survey";
import { DataTable } from "../shared/DataTable";
import { RatingAnswers } from "../shared/RatingAnswers";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { formatTime, inputValue } from "./ui";

interface RatedChat extends RatingView {
  sessionId: string;
  questionId: string | null;
  librarianName: string | null;
  formTitle: string | null;
  createdAt: number;
}

interface RatingsAnswer {
  days: number;
  count: number;
  average: number | null;
  ratings: RatedChat[];
}

const PERIODS = [7, 30, 90, 365];

export function RatingsPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  const [days, setDays] = useState(30);
  const [data, setData] = useState<RatingsAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api<RatingsAnswer>(`/api/admin/libraries/${libraryId}/ratings?days=${days}`).then((r) => (r.ok ? (setData(r.data), setError(null)) : setError(r.error.message)));
  }, [days]);
  return (
    <AdminLayout boot={boot} title="Ratings and surveys" libraryId={libraryId}>
      <p>
        What patrons said after their chats. Each chat form decides what it asks (on the form's page: <a href={`/admin/libraries/${libraryId}/forms`}>Chat forms</a>).
      </p>
      <div class="field inline-field">
        <label for="ratings-days">Period</label>
        <select id="ratings-days" value={String(days)} onChange={(e) => setDays(Number(inputValue(e)))}>
          {PERIODS.map((d) => (
            <option key={d} value={d}>
              Last {d} days
            </option>
          ))}
        </select>
      </div>
      {error ? <p class="form-error">{error}</p> : null}
      {data ? (
        <>
          <p role="status">
            {data.count === 0
              ? `No ratings in the last ${data.days} days.`
              : `${data.count} ${data.count === 1 ? "rating" : "ratings"} in the last ${data.days} days, on average ${data.average} out of ${RATING.highest}.`}
          </p>
          <DataTable
            class="data-table"
            caption="Rated chats, newest rating first"
            rows={data.ratings}
            rowKey={(r) => r.sessionId}
            scroll={{ "aria-label": "Rated chats" }}
            columns={[
              { header: "Rated", rowHeader: true, cell: (r) => (r.ratedAt ? formatTime(r.ratedAt) : "—") },
              { header: "Rating", cell: (r) => `${r.score} of ${RATING.highest}` },
              { header: "Comment and answers", cell: (r) => <Answers r={r} /> },
              { header: "Librarian", cell: (r) => (r.librarianName ? <bdi>{r.librarianName}</bdi> : "—") },
              { header: "Form", cell: (r) => (r.formTitle ? <bdi>{r.formTitle}</bdi> : "—") },
              { header: "Chat", cell: (r) => (r.questionId ? <a href={`/questions/${r.questionId}`}>Question and transcript</a> : "—") },
            ]}
          />
        </>
      ) : null}
    </AdminLayout>
  );
}

function Answers({ r }: { r: RatedChat }) {
  if (!r.comment && r.answers.length === 0) return <span class="muted">—</span>;
  return <RatingAnswers rating={r} class="rating-answers" />;
}
