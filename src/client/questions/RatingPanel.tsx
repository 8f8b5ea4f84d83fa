/** What the patron said after the chat: the rating, a comment, the survey's answers (beside the transcript). */
import { RATING } from "../../shared/limits";
import type { RatingView } from "../../shared/survey";
import { RatingAnswers } from "../shared/RatingAnswers";

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
        <RatingAnswers rating={rating} />
      ) : null}
    </section>
  );
}
