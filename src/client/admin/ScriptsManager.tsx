/**
 * One list of scripts ("canned messages") to manage: a library's, a
 * cooperative's or a librarian's own (src/shared/scripts.ts). Add, edit and
 * delete, with a category, placeholders and links (shown as links in the
 * preview, as in a chat); how often each was used; export the list as CSV and
 * import one. The server decides who may change which list; this page only
 * offers what it would allow.
 */
import { useEffect, useState } from "preact/hooks";
import { SCRIPT_LIMITS, SCRIPT_PLACEHOLDER_HELP, SCRIPT_PLACEHOLDERS, type ScriptScope, type ScriptView } from "../../shared/scripts";
import { DataTable } from "../shared/DataTable";
import { linkify } from "../shared/linkify";
import { api } from "./api";
import { describe, ErrorSummary, errorsFrom, Field, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

export interface ScriptOwnerParams {
  scope: ScriptScope;
  groupId?: string;
  libraryId?: string;
}

/** The list's query string: its level and owner. */
function ownerQuery(o: ScriptOwnerParams): string {
  const q = new URLSearchParams({ scope: o.scope });
  if (o.groupId) q.set("groupId", o.groupId);
  if (o.libraryId) q.set("libraryId", o.libraryId);
  return q.toString();
}

/** A script's text with its links as links (they open in a new window), as the patron will see them. */
function ScriptText({ body }: { body: string }) {
  return (
    <span class="script-text">
      {linkify(body).map((part, i) =>
        part.kind === "link" ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </span>
  );
}

interface Draft {
  id: number | null;
  category: string;
  title: string;
  body: string;
}

const EMPTY: Draft = { id: null, category: "", title: "", body: "" };

export function ScriptsManager({ owner, idBase, canEdit, heading }: { owner: ScriptOwnerParams; idBase: string; canEdit: boolean; heading: string }) {
  const [scripts, setScripts] = useState<ScriptView[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, say] = useStatus();
  const [link, setLink] = useState({ title: "", url: "" });
  const query = ownerQuery(owner);
  const load = () => api<{ cannedMessages: ScriptView[] }>(`/api/canned-messages?${query}`).then((r) => setScripts(r.ok ? r.data.cannedMessages : []));
  useEffect(() => void load(), [query]);

  const categories = [...new Set((scripts ?? []).map((s) => s.category).filter(Boolean))];
  const id = (name: string) => `${idBase}-${name}`;
  /** Field paths of this list's form, apart from any other form on the page. */
  const path = (name: string) => `${idBase}.${name}`;
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...(d ?? EMPTY), ...patch }));
  const addToBody = (text: string) => set({ body: `${draft?.body ?? ""}${draft?.body && !/\s$/.test(draft.body) ? " " : ""}${text}` });

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    const fields = { category: draft.category, title: draft.title, body: draft.body };
    const r = draft.id === null ? await api("/api/canned-messages", { method: "POST", body: { ...fields, ...owner } }) : await api(`/api/canned-messages/${draft.id}`, { method: "PATCH", body: fields });
    if (!r.ok) return setErrors(Object.fromEntries(Object.entries(errorsFrom(r.error)).map(([k, v]) => [k === "form" ? k : path(k), v])));
    setErrors({});
    say(draft.id === null ? `Added “${draft.title}”.` : `Saved “${draft.title}”.`);
    setDraft(null);
    void load();
  };
  const remove = async (s: ScriptView) => {
    if (!confirm(`Delete the script “${s.title}”?`)) return;
    const r = await api(`/api/canned-messages/${s.id}`, { method: "DELETE" });
    say(r.ok ? `Deleted “${s.title}”.` : r.error.message);
    void load();
  };
  const importCsv = async (e: Event) => {
    e.preventDefault();
    const file = (document.getElementById(id("csv")) as HTMLInputElement | null)?.files?.[0];
    if (!file) return setErrors({ csv: "Choose a CSV file first" });
    const r = await api<{ imported: number }>("/api/canned-messages/import", { method: "POST", body: { ...owner, csv: await file.text() } });
    if (!r.ok) return setErrors({ csv: r.error.message });
    setErrors({});
    say(`Imported ${r.data.imported} ${r.data.imported === 1 ? "script" : "scripts"}.`);
    void load();
  };

  return (
    <section aria-labelledby={id("heading")} class="scripts-manager">
      <h2 id={id("heading")}>{heading}</h2>
      <p class="help">
        Librarians put a script into a chat from the message box (type / and a few letters) or with Canned messages…; they can change it before sending. Placeholders are filled in for each chat:{" "}
        {SCRIPT_PLACEHOLDERS.map((p, i) => (
          <span key={p}>
            {i > 0 ? ", " : ""}
            <code>{`{{${p}}}`}</code> {SCRIPT_PLACEHOLDER_HELP[p]}
          </span>
        ))}
        . Web addresses become links.
      </p>
      <StatusLine text={status} />
      {scripts === null ? (
        <p class="loading">Loading…</p>
      ) : (
        <DataTable
          class="data-table"
          caption={heading}
          rows={scripts}
          rowKey={(s) => s.id}
          empty="No scripts yet."
          columns={[
            { header: "Category", cell: (s) => s.category || "—" },
            { header: "Title", rowHeader: true, cell: (s) => s.title },
            { header: "Text", cell: (s) => <ScriptText body={s.body} /> },
            { header: "Used", cell: (s) => `${s.useCount} ${s.useCount === 1 ? "time" : "times"}` },
            ...(canEdit
              ? [
                  {
                    header: "Actions",
                    cell: (s: ScriptView) => (
                      <div class="actions">
                        <button type="button" onClick={() => (setErrors({}), setDraft({ id: s.id, category: s.category, title: s.title, body: s.body }))} aria-label={`Edit ${s.title}`}>
                          Edit
                        </button>
                        <button type="button" class="danger" onClick={() => void remove(s)} aria-label={`Delete ${s.title}`}>
                          Delete
                        </button>
                      </div>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <p>
        <a href={`/api/canned-messages/export?${query}`} download>
          Export these scripts as CSV
        </a>
      </p>
      {canEdit ? (
        <>
          {draft ? (
            <form onSubmit={save} class="stack script-form" noValidate>
              <h3>{draft.id === null ? "New script" : `Edit “${draft.title}”`}</h3>
              <ErrorSummary errors={errors} />
              <Field path={path("category")} label="Category" optional hint="Groups scripts in the monitor, e.g. Greetings, Databases." errors={errors}>
                <input type="text" list={id("categories")} maxLength={SCRIPT_LIMITS.categoryChars} value={draft.category} onInput={(e) => set({ category: inputValue(e) })} {...describe(path("category"), errors, true)} />
              </Field>
              <datalist id={id("categories")}>
                {categories.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
              <Field path={path("title")} label="Title" errors={errors}>
                <input type="text" maxLength={SCRIPT_LIMITS.titleChars} value={draft.title} onInput={(e) => set({ title: inputValue(e) })} {...describe(path("title"), errors)} />
              </Field>
              <Field path={path("body")} label="Text" errors={errors}>
                <textarea rows={4} value={draft.body} onInput={(e) => set({ body: inputValue(e) })} {...describe(path("body"), errors)} />
              </Field>
              <fieldset>
                <legend>Add to the text</legend>
                <div class="inline-buttons">
                  {SCRIPT_PLACEHOLDERS.map((p) => (
                    <button type="button" key={p} onClick={() => addToBody(`{{${p}}}`)}>
                      {`{{${p}}}`}
                    </button>
                  ))}
                </div>
                <div class="link-row">
                  <label for={id("link-title")}>Link title</label>
                  <input id={id("link-title")} type="text" value={link.title} onInput={(e) => setLink({ ...link, title: inputValue(e) })} />
                  <label for={id("link-url")}>Link address</label>
                  <input id={id("link-url")} type="url" value={link.url} placeholder="https://" onInput={(e) => setLink({ ...link, url: inputValue(e) })} />
                  <button
                    type="button"
                    onClick={() => {
                      if (!/^https?:\/\/\S+$/i.test(link.url.trim())) return setErrors({ [path("body")]: "A link's address starts with https:// or http://" });
                      addToBody(link.title.trim() ? `${link.title.trim()}: ${link.url.trim()}` : link.url.trim());
                      setLink({ title: "", url: "" });
                    }}
                  >
                    Add the link
                  </button>
                </div>
              </fieldset>
              {draft.body ? (
                <div class="script-preview" role="region" aria-label="Preview">
                  <p class="help">Preview (placeholders are filled in for each chat):</p>
                  <p>
                    <ScriptText body={draft.body} />
                  </p>
                </div>
              ) : null}
              <div class="actions">
                <button type="submit" class="primary">
                  {draft.id === null ? "Add the script" : "Save the script"}
                </button>
                <button type="button" onClick={() => (setErrors({}), setDraft(null))}>
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <p>
              <button type="button" onClick={() => (setErrors({}), setDraft({ ...EMPTY }))}>
                New script
              </button>
            </p>
          )}
          <form onSubmit={importCsv} class="stack csv-import" noValidate>
            <h3 id={id("import-heading")}>Import from a CSV file</h3>
            <p class="help" id={id("csv-hint")}>
              A header row naming the columns category, title and body, then one script per row (as the export writes them). The scripts are added after the ones here; if any row is wrong, none is imported.
            </p>
            {errors.csv ? (
              <p class="field-error" id={id("csv-error")} role="alert">
                {errors.csv}
              </p>
            ) : null}
            <label for={id("csv")}>CSV file</label>
            <input id={id("csv")} type="file" accept=".csv,text/csv" aria-describedby={[id("csv-hint"), errors.csv ? id("csv-error") : ""].filter(Boolean).join(" ")} aria-invalid={errors.csv ? "true" : undefined} />
            <button type="submit">Import scripts</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
