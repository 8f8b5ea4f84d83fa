/**
 * Descriptive codes, for library administrators: whether chats end with them
 * (off, optional, required), and the list — rename, hide or show, move up or
 * down, add. Codes are never deleted — sessions keep the codes they
 * were given, and a hidden code is simply no longer offered.
 */
import { useEffect, useState } from "preact/hooks";
import { LIMITS } from "../../shared/limits";
import type { CodesAdminResponse } from "../../shared/questions-api";
import { api } from "../monitor/api";
import { filterCodes } from "../monitor/end-rules";
import { DataTable } from "../shared/DataTable";
import { ErrorLine } from "../shared/ErrorLine";
import { CodesSettings } from "./CodesSettings";

type AdminCode = CodesAdminResponse["codes"][number];

export function CodesPage() {
  const [codes, setCodes] = useState<AdminCode[] | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [focusAfter, setFocusAfter] = useState<string | null>(null);

  useEffect(() => {
    void api<CodesAdminResponse>("/api/descriptive-codes").then((r) => (r.ok ? setCodes(r.data.codes) : setError(r.error.message)));
  }, []);
  // After a move, keep the keyboard on the button that moved the code.
  useEffect(() => {
    if (focusAfter) document.getElementById(focusAfter)?.focus();
    setFocusAfter(null);
  }, [codes]);

  const apply = (next: CodesAdminResponse, message: string) => {
    setCodes(next.codes);
    setError(null);
    setStatus(message);
  };

  const change = async (code: AdminCode, body: { label?: string; active?: boolean }, message: string) => {
    const res = await api<CodesAdminResponse>(`/api/descriptive-codes/${encodeURIComponent(code.code)}`, { method: "PATCH", body });
    if (res.ok) apply(res.data, message);
    else setError(res.error.message);
    return res.ok;
  };

  const move = async (code: AdminCode, by: -1 | 1) => {
    if (!codes) return;
    const order = codes.map((c) => c.code);
    const from = order.indexOf(code.code);
    const to = from + by;
    if (to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    const res = await api<CodesAdminResponse>("/api/descriptive-codes/order", { method: "PUT", body: { codes: order } });
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    const edge = to === 0 || to === order.length - 1;
    setFocusAfter(`${edge ? (by < 0 ? "down" : "up") : by < 0 ? "up" : "down"}-${code.code}`);
    apply(res.data, `Moved “${code.label}” to position ${to + 1} of ${order.length}.`);
  };

  if (!codes) return error ? <p class="form-error">{error}</p> : <p class="loading">Loading the codes…</p>;
  const shown = filterCodes(codes, query);

  return (
    <div class="codes-admin">
      <h1>Descriptive codes</h1>
      <p>
        Librarians choose up to four of these when a chat ends (unless the library turned them off below, or requires them), and may change them on the question afterwards. Hidden codes are no longer offered;
        questions that already have one keep it.
      </p>
      <p role="status" aria-live="polite" class="change-status">
        {status}
      </p>
      <ErrorLine message={error} />
      <h2>Using codes</h2>
      <CodesSettings onSaved={setStatus} />
      <h2>The library's codes</h2>
      <AddCodeForm onAdded={(next, label) => apply(next, `Added “${label}” at the end of the list.`)} />

      <h2 id="list-heading">The library's codes ({codes.length})</h2>
      <div class="field">
        <label for="code-filter">Find a code</label>
        <input id="code-filter" type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </div>
      <DataTable
        class="codes-table"
        caption="The library's descriptive codes, in the order they are offered"
        scroll={{ "aria-labelledby": "list-heading" }}
        rows={shown}
        rowKey={(c) => c.code}
        rowClass={(c) => (c.active ? undefined : "code-hidden")}
        empty={`No code matches “${query}”.`}
        columns={[
          { header: "Order", cell: (c) => codes.indexOf(c) + 1 },
          { header: "Label", cell: (c) => <RenameForm code={c} onChange={change} /> },
          { header: "Identifier", cell: (c) => <code>{c.code}</code> },
          {
            header: "Offered",
            cell: (c) => (
              <>
                <span class="offered">{c.active ? "Offered" : "Hidden"}</span>{" "}
                <button
                  type="button"
                  aria-label={`${c.active ? "Hide" : "Offer"} ${c.label}`}
                  onClick={() => void change(c, { active: !c.active }, c.active ? `“${c.label}” is hidden.` : `“${c.label}” is offered again.`)}
                >
                  {c.active ? "Hide" : "Offer"}
                </button>
              </>
            ),
          },
          {
            header: "Move",
            class: "move",
            cell: (c) => (
              <>
                <button type="button" id={`up-${c.code}`} aria-label={`Move ${c.label} up`} disabled={codes.indexOf(c) === 0} onClick={() => void move(c, -1)}>
                  ↑
                </button>
                <button type="button" id={`down-${c.code}`} aria-label={`Move ${c.label} down`} disabled={codes.indexOf(c) === codes.length - 1} onClick={() => void move(c, 1)}>
                  ↓
                </button>
              </>
            ),
          },
        ]}
      />
    </div>
  );
}

/** A code's label, renamed in place (Enter or Rename; nothing to send until it differs). */
function RenameForm({ code, onChange }: { code: AdminCode; onChange: (code: AdminCode, body: { label: string }, message: string) => Promise<boolean> }) {
  const [label, setLabel] = useState(code.label);
  useEffect(() => setLabel(code.label), [code.label]);
  const renamed = label.trim() !== code.label;

  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (renamed) void onChange(code, { label: label.trim() }, `Renamed “${code.label}” to “${label.trim()}”.`);
      }}
    >
      <input
        type="text"
        value={label}
        maxLength={LIMITS.codeLabelChars}
        aria-label={`Label of ${code.label}`}
        onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
      />
      <button type="submit" disabled={!renamed} aria-label={`Rename ${code.label}`}>
        Rename
      </button>
    </form>
  );
}

function AddCodeForm({ onAdded }: { onAdded: (next: CodesAdminResponse, label: string) => void }) {
  const [label, setLabel] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    if (!label.trim()) {
      setError({ message: "Give the code a label.", field: "label" });
      return;
    }
    const res = await api<CodesAdminResponse>("/api/descriptive-codes", { method: "POST", body: { label: label.trim() } });
    if (!res.ok) {
      setError({ message: res.error.message, field: res.error.field });
      return;
    }
    setError(null);
    onAdded(res.data, label.trim());
    setLabel("");
  };

  return (
    <form onSubmit={add} noValidate class="add-code">
      <h2>Add a code</h2>
      <div class="field">
        <label for="new-code-label">Label of the new code</label>
        {error ? (
          <p class="field-error" id="new-code-error" role="alert">
            {error.message}
          </p>
        ) : null}
        <input
          id="new-code-label"
          type="text"
          maxLength={LIMITS.codeLabelChars}
          value={label}
          onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          aria-describedby={error ? "new-code-error" : undefined}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <button type="submit">Add code</button>
    </form>
  );
}
