/**
 * One question: what was asked and by whom, the whole transcript, the
 * follow-up answer box, the mails and their state, status actions, codes,
 * internal notes and the history of every action. Each change comes back as
 * the whole question, so the page always shows what is stored.
 */
import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { QuestionDetail, QuestionsBootstrap } from "../../shared/questions-api";
import { api, type ApiFailure } from "../monitor/api";
import { ActionsPanel } from "./ActionsPanel";
import { AnswerForm } from "./AnswerForm";
import { CodesPanel } from "./CodesPanel";
import { HistoryList } from "./HistoryList";
import { MailsPanel } from "./MailsPanel";
import { NotesPanel } from "./NotesPanel";
import { RatingPanel } from "./RatingPanel";
import { TranscriptView } from "./TranscriptView";
import { formatWhen, isoTime, resolutionText, statusText } from "./format";

/** While a mail is on its way, look again this often — for a few minutes at most (a stuck mail shows as pending until reload). */
const MAIL_POLL_MS = 2500;
const MAIL_POLLS = 72;

export interface PanelProps {
  detail: QuestionDetail;
  boot: QuestionsBootstrap;
  /** A change went through: show the question as it now is and say what happened. */
  onChanged: (detail: QuestionDetail, message: string) => void;
}

export function QuestionPage({ boot, questionId }: { boot: QuestionsBootstrap; questionId: string }) {
  const [detail, setDetail] = useState<QuestionDetail | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [message, setMessage] = useState("");
  const pollsLeft = useRef(MAIL_POLLS);

  const load = async () => {
    const res = await api<QuestionDetail>(`/api/questions/${encodeURIComponent(questionId)}`);
    if (res.ok) setDetail(res.data);
    else setFailure(res.error);
  };
  useEffect(() => {
    void load();
  }, [questionId]);

  const waitingMail = detail?.mails.some((m) => m.status === "pending") ?? false;
  useEffect(() => {
    if (!waitingMail || pollsLeft.current <= 0) return;
    const timer = setTimeout(() => {
      pollsLeft.current -= 1;
      void load();
    }, MAIL_POLL_MS);
    return () => clearTimeout(timer);
  }, [detail, waitingMail]);

  useEffect(() => {
    if (detail) document.title = `Question from ${detail.question.patronName ?? "a patron"} (${statusText(detail.question.status)}) — Refdesk`;
  }, [detail?.question.patronName, detail?.question.status]);

  if (failure) {
    return (
      <div class="question-page">
        <h1>Question not found</h1>
        <p>{failure.status === 404 ? "There is no such question, or it belongs to another library." : failure.message}</p>
        <p>
          <a href="/questions">Back to the questions</a>
        </p>
      </div>
    );
  }
  if (!detail) return <p class="loading">Loading the question…</p>;

  const onChanged = (next: QuestionDetail, text: string) => {
    pollsLeft.current = MAIL_POLLS;
    setDetail(next);
    setMessage(text);
  };
  const q = detail.question;
  const panel = { detail, boot, onChanged };

  return (
    <div class="question-page">
      <p class="back">
        <a href="/questions">Back to the questions</a>
      </p>
      <h1>
        Question from {q.patronName ? <bdi>{q.patronName}</bdi> : "a patron"}
      </h1>
      <p role="status" aria-live="polite" class="change-status">
        {message}
      </p>
      <dl class="summary">
        <dt>Status</dt>
        <dd>
          <span class={`status status-${q.status}`}>{statusText(q.status)}</span>
          {q.hidden ? " · hidden as spam" : ""}
          {q.excludeFromStats ? " · left out of statistics" : ""}
        </dd>
        <dt>Owner</dt>
        <dd>{q.assignee ? <bdi>{q.assignee.name}</bdi> : "Nobody yet"}</dd>
        <dt>Received</dt>
        <dd>
          <time dateTime={isoTime(q.createdAt)}>{formatWhen(q.createdAt, boot.timeZone)}</time>{" "}
          {q.source === "email" ? "— left by e-mail while chat was unavailable" : "— from a chat"}
        </dd>
        {q.libraryId !== boot.librarian.libraryId ? (
          <>
            <dt>Library</dt>
            <dd>
              <bdi>{q.libraryName}</bdi> (you served this chat for them)
            </dd>
          </>
        ) : null}
        {detail.session?.chattedWith ? (
          <>
            <dt>Chatted with</dt>
            <dd>
              <bdi>{detail.session.chattedWith.name}</bdi>
              {detail.session.servedByPartner && detail.session.chattedWith.libraryName ? (
                <>
                  {" "}
                  of <bdi>{detail.session.chattedWith.libraryName}</bdi>
                </>
              ) : (
                ""
              )}
            </dd>
          </>
        ) : null}
        <dt>Resolution</dt>
        <dd>{resolutionText(q.resolution)}</dd>
      </dl>

      <div class="question-columns">
        <div class="question-main">
          <section aria-labelledby="asked-heading">
            <h2 id="asked-heading">The question</h2>
            <p class="asked">{q.question}</p>
            {detail.session?.endNote ? (
              <p class="end-note">
                <strong>Note at the end of the chat:</strong> {detail.session.endNote}
              </p>
            ) : null}
          </section>
          <AnswerForm {...panel} />
          <MailsPanel {...panel} />
          {detail.session?.rating ? <RatingPanel rating={detail.session.rating} /> : null}
          <TranscriptView detail={detail} timeZone={boot.timeZone} />
        </div>
        <div class="question-side">
          <ActionsPanel {...panel} />
          <PatronPanel detail={detail} />
          <CodesPanel {...panel} />
          <NotesPanel {...panel} />
          <HistoryList detail={detail} timeZone={boot.timeZone} />
        </div>
      </div>
    </div>
  );
}

function PatronPanel({ detail }: { detail: QuestionDetail }) {
  const p = detail.patron;
  return (
    <section aria-labelledby="patron-heading" class="panel">
      <h2 id="patron-heading">Patron</h2>
      <dl class="details">
        <dt>Name</dt>
        <dd>{p.name ? <bdi>{p.name}</bdi> : "Not given"}</dd>
        <dt>E-mail</dt>
        <dd>{p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : "Not given"}</dd>
        {Object.entries(p.details).map(([k, v]) => (
          <Fragment key={k}>
            <dt>
              <bdi>{k}</bdi>
            </dt>
            <dd>
              <bdi>{v}</bdi>
            </dd>
          </Fragment>
        ))}
        <dt>Transcript by e-mail</dt>
        <dd>{p.transcriptOptOut ? "The patron asked for none" : "Yes, if an address was given"}</dd>
        {p.referrer ? (
          <>
            <dt>Asked from</dt>
            <dd class="wrap">{p.referrer}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
