/**
 * The session's codes: its resolution and up to MAX_DESCRIPTIVE_CODES
 * descriptive codes, changeable afterwards by the home library. New codes come
 * only from the library's active list; a code the library has since hidden
 * stays on the question (marked hidden) until someone removes it.
 */
import { useState } from "preact/hooks";
import { RESOLUTION_CODES, type FiledResolution, type ResolutionCode } from "../../shared/codes";
import type { CodeView, QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import { DescriptiveCodesPicker } from "../monitor/DescriptiveCodesPicker";
import { ErrorLine } from "../shared/ErrorLine";
import type { PanelProps } from "./QuestionPage";
import { resolutionText } from "./format";

export function CodesPanel({ detail, onChanged }: PanelProps) {
  const [editing, setEditing] = useState(false);
  const session = detail.session;
  if (!session) return null;
  const current = session.descriptiveCodes;

  return (
    <section aria-labelledby="codes-heading" class="panel">
      <h2 id="codes-heading">Codes</h2>
      {editing ? (
        <CodesForm
          detail={detail}
          onDone={(next) => {
            setEditing(false);
            if (next) onChanged(next, "Codes saved.");
          }}
        />
      ) : (
        <>
          <p>
            <strong>Resolution:</strong> {resolutionText(session.resolution)}
          </p>
          {current.length ? (
            <ul class="code-chips" aria-label="Descriptive codes">
              {current.map((c) => (
                <li key={c.code}>
                  {c.label}
                  {c.active ? "" : " (hidden code)"}
                </li>
              ))}
            </ul>
          ) : (
            <p>No descriptive codes.</p>
          )}
          {detail.viewer.canEditCodes ? (
            <button type="button" onClick={() => setEditing(true)}>
              Change codes
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

function CodesForm({ detail, onDone }: { detail: QuestionDetail; onDone: (next: QuestionDetail | null) => void }) {
  const session = detail.session!;
  // A resolution the service gave (ended automatically) is recoded by choosing one of the librarians' codes.
  const [resolution, setResolution] = useState<ResolutionCode | null>(isLibrarianCode(session.resolution) ? session.resolution : null);
  const [selected, setSelected] = useState<string[]>(session.descriptiveCodes.map((c) => c.code));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // Choices: the library's active codes, plus hidden ones the question already carries.
  const kept = session.descriptiveCodes.filter((c) => !c.active);
  const options: CodeView[] = [...detail.codeChoices, ...kept];

  const save = async (e: Event) => {
    e.preventDefault();
    if (!resolution) {
      setError("Choose a resolution code.");
      return;
    }
    setSaving(true);
    const res = await api<QuestionDetail>(`/api/questions/${detail.question.id}/codes`, { method: "PUT", body: { resolution, descriptiveCodes: selected } });
    setSaving(false);
    if (res.ok) onDone(res.data);
    else setError(res.error.message);
  };

  return (
    <form onSubmit={save} noValidate class="stack">
      <ErrorLine message={error} />
      <fieldset>
        <legend>Resolution</legend>
        {RESOLUTION_CODES.map((r) => (
          <div class="radio" key={r.code}>
            <input type="radio" id={`res-${r.code}`} name="resolution" checked={resolution === r.code} onChange={() => setResolution(r.code)} />
            <label for={`res-${r.code}`}>{r.label}</label>
          </div>
        ))}
      </fieldset>
      <DescriptiveCodesPicker idBase="question" codes={options} selected={selected} onChange={setSelected} />
      <div class="action-buttons">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? "Saving…" : "Save codes"}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function isLibrarianCode(code: FiledResolution | null): code is ResolutionCode {
  return RESOLUTION_CODES.some((r) => r.code === code);
}
