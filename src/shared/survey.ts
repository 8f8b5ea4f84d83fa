/**
 * What a patron is asked after a chat, chosen per form: nothing, a rating,
 * a rating with a comment (the default), or a rating and a short survey of
 * up to SURVEY_LIMITS.questions questions the library writes — each a scale
 * (1–5), a choice among options, or a short text. Shared by the form editor,
 * the patron's rating form, the rating page of the mailed link and the
 * server, which checks every answer against the form's survey
 * (./survey-schemas.ts, src/ratings/store.ts).
 */
import { LIMITS, RATING } from "./limits";

export const SURVEY_MODES = ["off", "rating", "rating_comment", "survey"] as const;
export type SurveyMode = (typeof SURVEY_MODES)[number];

export const SURVEY_MODE_LABELS: Record<SurveyMode, string> = {
  off: "Off: patrons are not asked",
  rating: `A rating (${RATING.lowest}–${RATING.highest})`,
  rating_comment: "A rating and a comment",
  survey: "A rating and a short survey of our own questions",
};

export const SURVEY_QUESTION_KINDS = ["scale", "choice", "text"] as const;
export type SurveyQuestionKind = (typeof SURVEY_QUESTION_KINDS)[number];

export const SURVEY_QUESTION_KIND_LABELS: Record<SurveyQuestionKind, string> = {
  scale: `A scale from ${RATING.lowest} to ${RATING.highest}`,
  choice: "One choice among options",
  text: "A short text",
};

export const SURVEY_LIMITS = { questions: 5, questionChars: 200, options: 6, optionChars: 80, answerChars: LIMITS.ratingCommentChars } as const;

export interface SurveyQuestion {
  /** Stable within the form: "q1" … */
  id: string;
  text: string;
  kind: SurveyQuestionKind;
  /** A choice question's options, in order. */
  options: string[];
  required: boolean;
}

export interface SurveyConfig {
  mode: SurveyMode;
  /** Only in the "survey" mode. */
  questions: SurveyQuestion[];
}

export const DEFAULT_SURVEY: SurveyConfig = { mode: "rating_comment", questions: [] };

export const asksComment = (s: SurveyConfig) => s.mode === "rating_comment";

/** One answer as stored: a number (scale value, option index) and/or a text (text answer, option wording). */
export interface StoredAnswer {
  question: SurveyQuestion;
  answerNumber: number | null;
  answerText: string | null;
}

/** A chat's rating as librarians see it (the question page, the monitor, the ratings list). */
export interface RatingView {
  score: number;
  comment: string | null;
  ratedAt: number | null;
  answers: { questionId: string; question: string; kind: SurveyQuestionKind; answer: string }[];
}
