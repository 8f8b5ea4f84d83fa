/** What the patron said after the chat: the rating, a comment, the survey's answers (beside the transcript). */
import { RATING } from "../../shared/limits";
import type { RatingView } from "../../shared/survey";

export function RatingPanel({ rating }: { rating: RatingView }) {
  return (
    <section aria-labelledby="rating-heading" class="panel rating-panel">
      <h2 id="rating-heading">The patron's rating</h2>
      <p class="rating-score">
        <strong>
          {rating.score} of {RATING.highest}
        </strong>{" "}
        <span aria-hidden="true">{"★".repeat(rating.score) + "☆".repeat(RATING.highest - rating.score)}</span>
      </p>
      {rating.comment || rating.answers.length ? (
        <dl>
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
      ) : null}
    </section>
  );
}
