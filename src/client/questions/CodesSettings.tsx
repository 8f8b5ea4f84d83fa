/**
 * Whether the library's chats end with descriptive codes: off, optional (up
 * to four) or required (one to four). The end-of-chat dialog follows it, and
 * the server refuses an end that breaks it.
 */
import { useEffect, useState } from "preact/hooks";
import { DESCRIPTIVE_CODES_MODE_LABELS, DESCRIPTIVE_CODES_MODES, type DescriptiveCodesMode } from "../../shared/codes-settings";
import { api } from "../monitor/api";
import { ErrorLine } from "../shared/ErrorLine";

export function CodesSettings({ onSaved }: { onSaved: (message: string) => void }) {
  const [mode, setMode] = useState<DescriptiveCodesMode | null>(null);
  const [saved, setSaved] = useState<DescriptiveCodesMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api<{ mode: DescriptiveCodesMode }>("/api/descriptive-codes/settings").then((r) => (r.ok ? (setMode(r.data.mode), setSaved(r.data.mode)) : setError(r.error.message)));
  }, []);
  if (!mode) return <ErrorLine message={error} />;
  const save = async (e: Event) => {
    e.preventDefault();
    const r = await api<{ mode: DescriptiveCodesMode }>("/api/descriptive-codes/settings", { method: "PUT", body: { mode } });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setSaved(r.data.mode);
    onSaved(`Saved: ${DESCRIPTIVE_CODES_MODE_LABELS[r.data.mode]}.`);
  };
  return (
    <form onSubmit={save} class="codes-settings stack" noValidate>
      <fieldset>
        <legend>At the end of a chat, descriptive codes are</legend>
        {DESCRIPTIVE_CODES_MODES.map((m) => (
          <div class="radio" key={m}>
            <input type="radio" id={`codes-mode-${m}`} name="codes-mode" checked={mode === m} onChange={() => setMode(m)} />
            <label for={`codes-mode-${m}`}>{DESCRIPTIVE_CODES_MODE_LABELS[m]}</label>
          </div>
        ))}
      </fieldset>
      <ErrorLine message={error} />
      <button type="submit" class="primary" disabled={mode === saved}>
        Save the setting
      </button>
    </form>
  );
}
