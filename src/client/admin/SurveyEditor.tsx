/**
 * What a chat form asks the patron after the chat: nothing, a rating, a
 * rating and a comment (the default), or a rating and a short survey — up to
 * five questions of the library's own, each a 1–5 scale, one choice among
 * options, or a short text, each optional or required. Saved on its own.
 */
import { useEffect, useState } from "preact/hooks";
import { SURVEY_LIMITS, SURVEY_MODE_LABELS, SURVEY_MODES, SURVEY_QUESTION_KIND_LABELS, SURVEY_QUESTION_KINDS, type SurveyConfig, type SurveyQuestion } from "../../shared/survey";
import { api } from "./api";
import { describe, ErrorSummary, errorsFrom, Field, inputChecked, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

function nextQuestionId(questions: SurveyQuestion[]): string {
  for (let n = 1; ; n++) if (!questions.some((q) => q.id === `q${n}`)) return `q${n}`;
}

export function SurveyEditor({ formId }: { formId: string }) {
  const [survey, setSurvey] = useState<SurveyConfig | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, say] = useStatus();
  useEffect(() => {
    void api<{ survey: SurveyConfig }>(`/api/admin/forms/${formId}/survey`).then((r) => r.ok && setSurvey(r.data.survey));
  }, [formId]);
  if (!survey) return null;

  const setQuestion = (i: number, patch: Partial<SurveyQuestion>) => setSurvey({ ...survey, questions: survey.questions.map((q, k) => (k === i ? { ...q, ...patch } : q)) });
  const save = async (e: Event) => {
    e.preventDefault();
    const body: SurveyConfig = {
      mode: survey.mode,
      questions: survey.mode === "survey" ? survey.questions.map((q) => ({ ...q, options: q.kind === "choice" ? q.options.map((o) => o.trim()).filter(Boolean) : [] })) : [],
    };
    const r = await api<{ survey: SurveyConfig }>(`/api/admin/forms/${formId}/survey`, { method: "PUT", body });
    if (!r.ok) return setErrors(Object.fromEntries(Object.entries(errorsFrom(r.error)).map(([k, v]) => [k === "form" ? k : `survey.${k}`, v])));
    setErrors({});
    setSurvey(r.data.survey);
    say("Saved what the form asks after the chat.");
  };

  return (
    <form onSubmit={save} class="stack" noValidate aria-labelledby="survey-heading">
      <h2 id="survey-heading">After the chat</h2>
      <ErrorSummary errors={errors} />
      <fieldset>
        <legend>What patrons are asked when their chat has ended (also by the link in their transcript mail)</legend>
        {SURVEY_MODES.map((m) => (
          <div class="radio" key={m}>
            <input type="radio" id={`survey-mode-${m}`} name="survey-mode" checked={survey.mode === m} onChange={() => setSurvey({ ...survey, mode: m, questions: m === "survey" && survey.questions.length === 0 ? [{ id: "q1", text: "", kind: "scale", options: [], required: false }] : survey.questions })} />
            <label for={`survey-mode-${m}`}>{SURVEY_MODE_LABELS[m]}</label>
          </div>
        ))}
      </fieldset>
      {survey.mode === "survey" ? (
        <ol class="field-list">
          {survey.questions.map((q, i) => (
            <li key={q.id} class="field-card">
              <Field path={`survey.questions.${i}.text`} label={`Question ${i + 1}`} errors={errors}>
                <input type="text" maxLength={SURVEY_LIMITS.questionChars} value={q.text} onInput={(e) => setQuestion(i, { text: inputValue(e) })} {...describe(`survey.questions.${i}.text`, errors)} />
              </Field>
              <Field path={`survey.questions.${i}.kind`} label="Answered with" errors={errors}>
                <select value={q.kind} onChange={(e) => setQuestion(i, { kind: inputValue(e) as SurveyQuestion["kind"] })} {...describe(`survey.questions.${i}.kind`, errors)}>
                  {SURVEY_QUESTION_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {SURVEY_QUESTION_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </Field>
              {q.kind === "choice" ? (
                <Field path={`survey.questions.${i}.options`} label="Options, one per line" hint={`At least 2, at most ${SURVEY_LIMITS.options}.`} errors={errors}>
                  <textarea rows={3} value={q.options.join("\n")} onInput={(e) => setQuestion(i, { options: inputValue(e).split("\n") })} {...describe(`survey.questions.${i}.options`, errors, true)} />
                </Field>
              ) : null}
              <div class="checkbox">
                <input type="checkbox" id={`survey-required-${q.id}`} checked={q.required} onChange={(e) => setQuestion(i, { required: inputChecked(e) })} />
                <label for={`survey-required-${q.id}`}>Required</label>
              </div>
              <button type="button" class="danger" onClick={() => setSurvey({ ...survey, questions: survey.questions.filter((_, k) => k !== i) })} aria-label={`Remove question ${i + 1}`}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      {survey.mode === "survey" && survey.questions.length < SURVEY_LIMITS.questions ? (
        <p>
          <button type="button" onClick={() => setSurvey({ ...survey, questions: [...survey.questions, { id: nextQuestionId(survey.questions), text: "", kind: "scale", options: [], required: false }] })}>
            Add a question
          </button>
        </p>
      ) : null}
      <StatusLine text={status} />
      <button type="submit" class="primary">
        Save what the form asks
      </button>
    </form>
  );
}
