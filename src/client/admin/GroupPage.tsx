/** /admin/groups/:id — a cooperative: its member libraries, its forms (new ones too), its scripts, its audit log. */
import { useEffect, useState } from "preact/hooks";
import type { AdminBootstrap, FormRow, QueueChoice } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { AuditLog } from "./AuditPage";
import { FormList, NewFormForm } from "./FormsPage";
import { AdminLayout } from "./layout";
import { ScriptsManager } from "./ScriptsManager";

interface Member {
  id: string;
  name: string;
  contactEmail: string | null;
  timeZone: string;
  librarians: number;
}

export function GroupPage({ boot }: { boot: AdminBootstrap }) {
  const groupId = boot.params.groupId!;
  const [group, setGroup] = useState<{ id: string; name: string } | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [forms, setForms] = useState<FormRow[]>([]);
  useEffect(() => {
    void api<{ group: { id: string; name: string }; members: Member[] }>(`/api/admin/groups/${groupId}`).then((r) => {
      if (!r.ok) return;
      setGroup(r.data.group);
      setMembers(r.data.members);
    });
    void api<{ forms: FormRow[] }>(`/api/admin/groups/${groupId}/forms`).then((r) => r.ok && setForms(r.data.forms));
  }, []);
  const queues: QueueChoice[] = group ? [{ id: `group:${group.id}`, name: `${group.name} (cooperative queue)` }] : [];
  return (
    <AdminLayout boot={boot} title={group ? group.name : "Cooperative"}>
      <p>
        <a href={`/admin/groups/${groupId}/cooperation`}>Coverage schedule, invitations, group page and contribution</a>
      </p>
      <p>
        <a href={`/api/admin/groups/${groupId}/export`} download>
          Download the group's archive
        </a>{" "}
        (its page, members, forms, coverage schedule, invitations and audit log, as JSON and CSV)
      </p>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Member libraries</h2>
        <DataTable
          class="data-table"
          caption="Member libraries"
          rows={members}
          rowKey={(m) => m.id}
          columns={[
            { header: "Library", rowHeader: true, cell: (m) => m.name },
            { header: "Contact", cell: (m) => m.contactEmail ?? "—" },
            { header: "Time zone", cell: (m) => m.timeZone },
            { header: "Librarians", cell: (m) => m.librarians },
          ]}
        />
      </section>
      <section aria-labelledby="group-forms-heading">
        <h2 id="group-forms-heading">Cooperative forms</h2>
        <FormList forms={forms} />
        <h3>New cooperative form</h3>
        <NewFormForm endpoint={`/api/admin/groups/${groupId}/forms`} queues={queues} libraries={members.map((m) => ({ id: m.id, name: m.name }))} />
      </section>
      <ScriptsManager owner={{ scope: "group", groupId }} idBase="group-scripts" canEdit heading="Cooperative scripts" />
      <section aria-labelledby="group-audit-heading">
        <h2 id="group-audit-heading">Audit log</h2>
        <AuditLog endpoint={`/api/admin/groups/${groupId}/audit`} />
      </section>
    </AdminLayout>
  );
}
