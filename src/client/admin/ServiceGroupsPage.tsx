/** /admin/service/groups — the installation's groups (cooperatives), for service administrators: create one, add member libraries. */
import { useEffect, useState } from "preact/hooks";
import { ADMIN_TEXT_LIMITS } from "../../shared/admin-limits";
import type { AdminBootstrap } from "../../shared/admin-views";
import type { ServiceGroupRow, ServiceLibraryRow } from "../../shared/service-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AdminLayout } from "./layout";
import { ChoiceField, describe, ErrorSummary, errorsFrom, Field, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

function NewGroupForm({ onCreated }: { onCreated: (row: ServiceGroupRow) => void }) {
  const [draft, setDraft] = useState({ id: "", name: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!draft.name.trim()) found.name = "Enter the group's name";
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(draft.id)) found.id = "Use lower-case letters, digits and dashes, starting with a letter or digit";
    setErrors(found);
    if (Object.keys(found).length) return;
    const r = await api<{ group: ServiceGroupRow }>("/api/admin/service/groups", { method: "POST", body: draft });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    setDraft({ id: "", name: "" });
    onCreated(r.data.group);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <Field path="name" label="Group name" errors={errors}>
        <input type="text" maxLength={ADMIN_TEXT_LIMITS.libraryName} value={draft.name} onInput={(e) => setDraft({ ...draft, name: inputValue(e) })} {...describe("name", errors)} />
      </Field>
      <Field path="id" label="Group id" hint="Part of its queue's address; it never changes. Lower-case letters, digits and dashes." errors={errors}>
        <input type="text" spellcheck={false} value={draft.id} onInput={(e) => setDraft({ ...draft, id: inputValue(e) })} {...describe("id", errors, true)} />
      </Field>
      <button type="submit" class="primary">
        Create group
      </button>
    </form>
  );
}

function AddMemberForm({ groups, libraries, onAdded }: { groups: ServiceGroupRow[]; libraries: ServiceLibraryRow[]; onAdded: (text: string) => void }) {
  const [groupId, setGroupId] = useState("");
  const [libraryId, setLibraryId] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const group = groupId || groups[0]?.id || "";
  const library = libraryId || libraries[0]?.id || "";
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!group || !library) return setErrors({ form: "Create a group and a library first." });
    setErrors({});
    const r = await api<{ group: ServiceGroupRow }>(`/api/admin/service/groups/${group}/members`, { method: "POST", body: { libraryId: library } });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    onAdded(`${libraries.find((l) => l.id === library)?.name ?? library} is a member of ${r.data.group.name}.`);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <ChoiceField path="groupId" label="Group" choices={groups} value={group} onChange={setGroupId} errors={errors} />
      <ChoiceField path="libraryId" label="Library" choices={libraries} value={library} onChange={setLibraryId} errors={errors} />
      <button type="submit" class="primary">
        Add to group
      </button>
    </form>
  );
}

export function ServiceGroupsPage({ boot }: { boot: AdminBootstrap }) {
  const [groups, setGroups] = useState<ServiceGroupRow[]>([]);
  const [libraries, setLibraries] = useState<ServiceLibraryRow[]>([]);
  const [status, say] = useStatus();
  const load = () => {
    void api<{ groups: ServiceGroupRow[] }>("/api/admin/service/groups").then((r) => (r.ok ? setGroups(r.data.groups) : say(r.error.message)));
    void api<{ libraries: ServiceLibraryRow[] }>("/api/admin/service/libraries").then((r) => r.ok && setLibraries(r.data.libraries));
  };
  useEffect(load, []);
  return (
    <AdminLayout boot={boot} title="Groups of the service">
      <StatusLine text={status} />
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        <p>A group's own administrators (group administrators of a member library) manage its schedule, forms and page from its cooperative pages.</p>
        <DataTable
          class="data-table"
          caption="Every group of the service"
          rows={groups}
          rowKey={(g) => g.id}
          empty="No groups yet."
          columns={[
            { header: "Group", rowHeader: true, cell: (g) => <a href={`/admin/groups/${g.id}`}>{g.name}</a> },
            { header: "Id", cell: (g) => <code>{g.id}</code> },
            { header: "Members", cell: (g) => g.members.map((m) => `${m.name}${m.archived ? " (archived)" : ""}`).join(", ") || "—" },
          ]}
        />
      </section>
      <section aria-labelledby="new-group-heading">
        <h2 id="new-group-heading">New group</h2>
        <NewGroupForm onCreated={(g) => (say(`${g.name} is created. Add its member libraries below.`), load())} />
      </section>
      <section aria-labelledby="add-member-heading">
        <h2 id="add-member-heading">Add a library to a group</h2>
        <AddMemberForm groups={groups} libraries={libraries} onAdded={(text) => (say(text), load())} />
      </section>
    </AdminLayout>
  );
}
