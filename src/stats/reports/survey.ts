/**
 * Survey answers: what patrons answered to a library's own survey questions
 * (a form's survey, asked with the rating), counted over the chats the report
 * counts. A survey belongs to the patrons' library, so a library's figures
 * show its own survey's answers (whoever answered the chat), a librarian's
 * their own chats' answers, and a cooperative's one member's at a time (each
 * member asks its own questions). Numbers only: a scale's value or the option
 * chosen; a written answer is counted, never shown (it is the patron's words,
 * and goes with the chat's retention).
 */
import { sql, type SQL } from "drizzle-orm";
import type { StatCell, StatTable } from "../../shared/stats-api";
import { SURVEY_QUESTION_KIND_LABELS, type SurveyQuestionKind } from "../../shared/survey";
import { sharePercent } from "../definitions";
import { all, factConditions, num, type CellQuery } from "../cells";
import { col, namesOf, table } from "./common";

interface AnswerCell {
  libraryId: string;
  question: string;
  kind: SurveyQuestionKind;
  /** A scale's value or a choice's index (null for a written answer). */
  number: number | null;
  /** A choice's wording. */
  option: string | null;
  n: number;
}

/** Whose survey a scope shows: one library's, any (a librarian's own chats), or none (a whole cooperative). */
function surveyLibrary(cq: CellQuery): { library: string } | "any" | "none" {
  const { scope } = cq;
  if (scope.kind === "me") return "any";
  if (scope.kind === "library") return { library: scope.id };
  return scope.library ? { library: scope.library.id } : "none";
}

async function answerCells(cq: CellQuery, whose: { library: string } | "any"): Promise<AnswerCell[]> {
  // A library's answers are found through the survey's own index (an answer is given after its chat was
  // asked, so the range's start bounds it too), each then checked against the chats counted by the
  // chat's key — never reading every counted chat when few have answers. A librarian's own chats are
  // few: their answers are looked up chat by chat.
  const which: SQL =
    whose === "any"
      ? sql`sa.session_id in (select session_id from stat_chats where ${factConditions(cq)})`
      : sql`sa.library_id = ${whose.library} and sa.created_at >= ${cq.window.fromMs} and exists (select 1 from stat_chats where session_id = sa.session_id and ${factConditions(cq)})`;
  const rows = await all(
    cq,
    sql`select sa.library_id as library_id, sa.question as question, sa.kind as kind,
               case when sa.kind = 'text' then null else sa.answer_number end as number,
               case when sa.kind = 'choice' then sa.answer_text end as option, count(*) as n
          from survey_answers sa
         where ${which}
         group by 1, 2, 3, 4, 5`,
  );
  return rows.map((r) => ({ libraryId: String(r.library_id), question: String(r.question), kind: r.kind as SurveyQuestionKind, number: r.number === null ? null : num(r.number), option: r.option === null ? null : String(r.option), n: num(r.n) }));
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The survey tables: each question's answers and mean, and how the answers spread. */
export async function surveyTables(cq: CellQuery): Promise<StatTable[]> {
  const whose = surveyLibrary(cq);
  const cells = whose === "none" ? [] : await answerCells(cq, whose);
  const names = await namesOf(cq.d1, cells.map((c) => c.libraryId), []);
  const key = (c: AnswerCell) => `${c.libraryId}\u0000${c.kind}\u0000${c.question}`;
  const questions = new Map<string, { libraryId: string; question: string; kind: SurveyQuestionKind; n: number; sum: number; cells: AnswerCell[] }>();
  for (const c of cells) {
    const q = questions.get(key(c)) ?? { libraryId: c.libraryId, question: c.question, kind: c.kind, n: 0, sum: 0, cells: [] };
    q.n += c.n;
    if (c.kind === "scale") q.sum += (c.number ?? 0) * c.n;
    q.cells.push(c);
    questions.set(key(c), q);
  }
  const ordered = [...questions.values()].sort((a, b) => names.library(a.libraryId).localeCompare(names.library(b.libraryId)) || a.question.localeCompare(b.question) || a.kind.localeCompare(b.kind));
  const chooseMember = whose === "none" ? " Choose one member library to see its survey's answers: each member asks its own questions." : "";
  const summary = table(
    "survey-questions",
    "Survey questions",
    `Each question of the library's own survey (as it was asked), how many patrons answered it, and the mean of a scale (1 lowest, 5 highest).${chooseMember}`,
    [col("question", "Question", "text"), col("library", "Library", "text"), col("kind", "Kind", "text"), col("answers", "Answers"), col("mean", "Mean (scale)", "rating")],
    ordered.map((q) => [q.question, names.library(q.libraryId), SURVEY_QUESTION_KIND_LABELS[q.kind], q.n, q.kind === "scale" && q.n > 0 ? round2(q.sum / q.n) : null]),
    { type: "bars", x: "question", series: ["answers"], unit: "answers" },
  );
  const answerLabel = (c: AnswerCell) => (c.kind === "scale" ? String(c.number) : c.kind === "choice" ? (c.option ?? `Option ${(c.number ?? 0) + 1}`) : "A written answer (not shown)");
  const spread: StatCell[][] = ordered.flatMap((q) =>
    [...q.cells]
      .sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || answerLabel(a).localeCompare(answerLabel(b)))
      .map((c) => [q.question, names.library(q.libraryId), answerLabel(c), c.n, sharePercent(c.n, q.n)]),
  );
  const answers = table(
    "survey-answers",
    "Survey answers",
    "How each question's answers spread: a scale's values, a choice's options (as worded when answered); written answers are counted, never shown.",
    [col("question", "Question", "text"), col("library", "Library", "text"), col("answer", "Answer", "text"), col("answers", "Answers"), col("share", "Share of the question's answers (%)", "percent")],
    spread,
    null,
  );
  return [summary, answers];
}
