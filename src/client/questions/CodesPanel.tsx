/**
 * The session's codes: its resolution and up to MAX_DESCRIPTIVE_CODES
 * descriptive codes, changeable afterwards by the home library. New codes come
 * only from the library's active list; a code the library has since hidden
 * stays on the question (marked hidden) until someone removes it.
 */
import { useState } from "preact/hooks";
import { MAX_DESCRIPTIVE_CODES, RESOLUTION_CODES, type ResolutionCode } from "../../shared/codes";
import type { CodeView, QuestionDetail } from "../../shared/questions-api";
import { api } from "../monitor/api";
import { filterCodes, toggleCode } from "../monitor/end-rules";
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
  const [resolution, setResolution] = useState<ResolutionCode | null>(session.resolution);
  const [selected, setSelected] = useState<string[]>(session.descriptiveCodes.map((c) => c.code));
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  // Choices: the library's active codes, plus hidden ones the question already carries.
  const kept = session.descriptiveCodes.filter((c) => !c.active);
  const options: CodeView[] = [...detail.codeChoices, ...kept];
  const labelOf = (code: string) => options.find((c) => c.code === code)?.label ?? code;
  const shown = filterCodes(options, query);

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
      {error ? (
        <p class="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <fieldset>
        <legend>Resolution</legend>
        {RESOLUTION_CODES.map((r) => (
          <div class="radio" key={r.code}>
            <input type="radio" id={`res-${r.code}`} name="resolution" checked={resolution === r.code} onChange={() => setResolution(r.code)} />
            <label for={`res-${r.code}`}>{r.label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>
          Descriptive codes ({selected.length} of at most {MAX_DESCRIPTIVE_CODES})
        </legend>
        {selected.length ? (
          <ul class="code-chips" aria-label="Chosen codes">
            {selected.map((c) => (
              <li key={c}>
                {labelOf(c)}{" "}
                <button type="button" class="small" aria-label={`Remove ${labelOf(c)}`} onClick={() => setSelected(toggleCode(selected, c))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <label for="q-code-search">Search codes</label>
        <input id="q-code-search" type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} aria-controls="q-code-options" />
        <div id="q-code-options" class="code-options" role="group" aria-label="Matching codes">
          {shown.map((c) => {
            const checked = selected.includes(c.code);
            return (
              <div class="checkbox" key={c.code}>
                <input
                  type="checkbox"
                  id={`qcode-${c.code}`}
                  checked={checked}
                  disabled={!checked && selected.length >= MAX_DESCRIPTIVE_CODES}
                  onChange={() => setSelected(toggleCode(selected, c.code))}
                />
                <label for={`qcode-${c.code}`}>
                  {c.label}
                  {c.active ? "" : " (hidden code)"}
                </label>
              </div>
            );
          })}
          {shown.length === 0 ? <p>No code matches “{query}”.</p> : null}
        </div>
      </fieldset>
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
