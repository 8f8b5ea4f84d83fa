/** Entry point of the Ask a Librarian module (/questions, /questions/:id, /questions/codes). */
import { render } from "preact";
import { cleanDisplayData } from "../../shared/display-text";
import type { QuestionsBootstrap } from "../../shared/questions-api";
import { CodesPage } from "./CodesPage";
import { ListPage } from "./ListPage";
import { QuestionPage } from "./QuestionPage";

const boot = cleanDisplayData(JSON.parse(document.getElementById("bootstrap")!.textContent!) as QuestionsBootstrap);
const root = document.getElementById("questions-root")!;
root.textContent = "";
render(
  boot.view === "question" && boot.questionId ? (
    <QuestionPage boot={boot} questionId={boot.questionId} />
  ) : boot.view === "codes" ? (
    <CodesPage />
  ) : (
    <ListPage boot={boot} />
  ),
  root,
);
