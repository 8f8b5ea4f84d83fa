/**
 * /admin/libraries/:id/forms and the group page's forms: the forms, their
 * URLs, and a short form to start a new one (it opens in the editor).
 */
import { useEffect, useState } from "preact/hooks";
import type { AdminBootstrap, FormRow, QueueChoice } from "../../shared/admin-views";
import { DEFAULT_EMAIL_FIELD, DEFAULT_NAME_FIELD, DEFAULT_QUESTION_FIELD } from "../../shared/form-layout";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { ChoiceField, describe, ErrorSummary, errorsFrom, Field, inputValue, type FieldErrors } from "./ui";

export function FormList({ forms }: { forms: FormRow[] }) {
  if (forms.length === 0) return <p>No forms yet.</p>;
  return (
    <DataTable
      class="data-table"
      caption="Chat request forms"
      rows={forms}
      rowKey={(f) => f.id}
      columns={[
        { header: "Form", rowHeader: true, cell: (f) => <a href={`/admin/forms/${f.id}`}>{f.title}</a> },
        { header: "State", cell: (f) => (f.enabled ? "On" : "Off") },
        { header: "Hosted form", cell: (f) => <a href={f.formUrl}>{f.formUrl}</a> },
      ]}
    />
  );
}

/** Creates a form with the standard fields; the editor then shapes it. */
export function NewFormForm({ endpoint, queues, libraries }: { endpoint: string; queues: QueueChoice[]; libraries?: QueueChoice[] }) {
  const [title, setTitle] = useState("");
  const [queueId, setQueueId] = useState("");
  const [libraryId, setLibraryId] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!queueId && queues[0]) setQueueId(queues[0].id);
    if (libraries && !libraryId && libraries[0]) setLibraryId(libraries[0].id);
  }, [queues, libraries]);
  const create = async (e: Event) => {
    e.preventDefault();
    if (!title.trim()) return setErrors({ title: "Give the form a title" });
    const body = { title, queueId, chatMethod: "chat", brandColor: null, enabled: true, fields: [DEFAULT_QUESTION_FIELD, DEFAULT_NAME_FIELD, DEFAULT_EMAIL_FIELD], ...(libraries ? { libraryId } : {}) };
    const r = await api<{ form: FormRow }>(endpoint, { method: "POST", body });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    location.assign(`/admin/forms/${r.data.form.id}`);
  };
  return (
    <form class="stack" onSubmit={create} noValidate>
      <ErrorSummary errors={errors} />
      <Field path="title" label="Title" hint="Patrons see it as the form's heading, e.g. “Chat with a librarian”." errors={errors}>
        <input type="text" value={title} onInput={(e) => setTitle(inputValue(e))} {...describe("title", errors, true)} />
      </Field>
      {libraries ? <ChoiceField path="libraryId" label="Library that files the questions" choices={libraries} value={libraryId} onChange={setLibraryId} errors={errors} /> : null}
      <ChoiceField path="queueId" label="Queue the form feeds" choices={queues} value={queueId} onChange={setQueueId} errors={errors} />
      <button type="submit" class="primary">
        Create form
      </button>
    </form>
  );
}

export function FormsPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  const [forms, setForms] = useState<FormRow[]>([]);
  const [queues, setQueues] = useState<QueueChoice[]>([]);
  useEffect(() => {
    void api<{ forms: FormRow[]; queues: QueueChoice[] }>(`/api/admin/libraries/${libraryId}/forms`).then((r) => {
      if (!r.ok) return;
      setForms(r.data.forms);
      setQueues(r.data.queues);
    });
  }, []);
  return (
    <AdminLayout boot={boot} title="Chat forms" libraryId={libraryId}>
      <p>
        Each form has its own web address for your site to link to, and a one-line Qwidget embed for any page. Open a form to edit its fields, wording, colours and logo.
        Sites allowed to embed your Qwidget are set in <a href={`/admin/libraries/${libraryId}/settings#fld-allowedOrigins`}>Settings</a>.
      </p>
      <section aria-labelledby="forms-heading">
        <h2 id="forms-heading">Your forms</h2>
        <FormList forms={forms} />
      </section>
      <section aria-labelledby="new-form-heading">
        <h2 id="new-form-heading">New form</h2>
        <NewFormForm endpoint={`/api/admin/libraries/${libraryId}/forms`} queues={queues} />
      </section>
    </AdminLayout>
  );
}
