/** Entry point of the Ask a Librarian module (/questions, /questions/:id, /questions/codes). */
import { render } from "preact";
import type { QuestionsBootstrap } from "../../shared/questions-api";
import { CodesPage } from "./CodesPage";
import { ListPage } from "./ListPage";
import { QuestionPage } from "./QuestionPage";

const boot = JSON.parse(document.getElementById("bootstrap")!.textContent!) as QuestionsBootstrap;
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
