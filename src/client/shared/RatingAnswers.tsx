/** What the patron wrote with their rating: the comment and each survey answer, as a definition list. */
import type { RatingView } from "../../shared/survey";

export function RatingAnswers({ rating, class: className }: { rating: Pick<RatingView, "comment" | "answers">; class?: string }) {
  return (
    <dl class={className}>
      {rating.comment ? (
        <>
          <dt>Comment</dt>
          <dd>
            <bdi>{rating.comment}</bdi>
          </dd>
        </>
      ) : null}
      {rating.answers.map((a) => (
        <>
          <dt key={`q-${a.questionId}`}>{a.question}</dt>
          <dd key={`a-${a.questionId}`}>
            <bdi>{a.answer}</bdi>
          </dd>
        </>
      ))}
    </dl>
  );
}
