/**
 * /admin/service/libraries — the installation's libraries, for service
 * administrators: create one (name, time zone, contacts, fallback help),
 * invite its first administrator, edit it (its settings page), archive and
 * unarchive it, and import a library's or group's archive.
 */
import { useEffect, useState } from "preact/hooks";
import { ADMIN_TEXT_LIMITS } from "../../shared/admin-limits";
import type { AdminBootstrap } from "../../shared/admin-views";
import type { ImportResult, ServiceLibraryRow } from "../../shared/service-views";
import { DataTable } from "../shared/DataTable";
import { api, upload } from "./api";
import { AdminLayout } from "./layout";
import { ChoiceField, describe, ErrorSummary, errorsFrom, Field, formatTime, inputValue, StatusLine, useStatus, type FieldErrors } from "./ui";

const EMPTY_LIBRARY = { id: "", name: "", timeZone: "", contactEmail: "", phone: "", hoursText: "", unavailableMessage: "", linkLabel: "", linkUrl: "" };

/** Time zones the browser knows, for the suggestions list. */
function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [];
}

/** A suggestion for the id from the name: lower case, dashes. */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

function NewLibraryForm({ onCreated }: { onCreated: (row: ServiceLibraryRow) => void }) {
  const [draft, setDraft] = useState(EMPTY_LIBRARY);
  const [idTouched, setIdTouched] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (patch: Partial<typeof draft>) => setDraft({ ...draft, ...patch });
  const text = (key: keyof typeof draft) => ({ value: draft[key], onInput: (e: Event) => set({ [key]: inputValue(e) }) });

  const submit = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!draft.name.trim()) found.name = "Enter the library's name";
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(draft.id)) found.id = "Use lower-case letters, digits and dashes, starting with a letter or digit";
    if (!draft.timeZone.trim()) found.timeZone = "Choose a time zone";
    if (Boolean(draft.linkLabel.trim()) !== Boolean(draft.linkUrl.trim())) found[draft.linkLabel.trim() ? "fallbackLinks.0.url" : "fallbackLinks.0.label"] = "Give the link both a text and an address";
    setErrors(found);
    if (Object.keys(found).length) return;
    const { linkLabel, linkUrl, ...rest } = draft;
    const body = { ...rest, fallbackLinks: linkLabel.trim() ? [{ label: linkLabel, url: linkUrl }] : [] };
    const r = await api<{ library: ServiceLibraryRow }>("/api/admin/service/libraries", { method: "POST", body });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    setDraft(EMPTY_LIBRARY);
    setIdTouched(false);
    onCreated(r.data.library);
  };

  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <Field path="name" label="Library name" errors={errors}>
        <input type="text" maxLength={ADMIN_TEXT_LIMITS.libraryName} value={draft.name} onInput={(e) => set({ name: inputValue(e), ...(idTouched ? {} : { id: slugOf(inputValue(e)) }) })} {...describe("name", errors)} />
      </Field>
      <Field path="id" label="Library id" hint="Part of its chat form and queue addresses; it never changes. Lower-case letters, digits and dashes." errors={errors}>
        <input type="text" spellcheck={false} value={draft.id} onInput={(e) => (setIdTouched(true), set({ id: inputValue(e) }))} {...describe("id", errors, true)} />
      </Field>
      <Field path="timeZone" label="Time zone" hint="An IANA time zone, e.g. America/Chicago." errors={errors}>
        <input type="text" list="service-zones" {...text("timeZone")} {...describe("timeZone", errors, true)} />
      </Field>
      <datalist id="service-zones">
        {knownZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field path="contactEmail" label="Contact e-mail" hint="Shown to patrons when nobody can chat." errors={errors} optional>
        <input type="email" {...text("contactEmail")} {...describe("contactEmail", errors, true)} />
      </Field>
      <Field path="phone" label="Phone" errors={errors} optional>
        <input type="text" maxLength={ADMIN_TEXT_LIMITS.phone} {...text("phone")} {...describe("phone", errors)} />
      </Field>
      <Field path="hoursText" label="Chat hours" hint="As patrons should read them, e.g. Mon–Fri 9–5." errors={errors} optional>
        <input type="text" maxLength={ADMIN_TEXT_LIMITS.hoursText} {...text("hoursText")} {...describe("hoursText", errors, true)} />
      </Field>
      <Field path="unavailableMessage" label="“Not available” message" hint="What a patron reads when no librarian can take the chat." errors={errors} optional>
        <textarea rows={2} maxLength={ADMIN_TEXT_LIMITS.unavailableMessage} {...text("unavailableMessage")} {...describe("unavailableMessage", errors, true)} />
      </Field>
      <fieldset>
        <legend>Another way to get help (optional; more on the library's settings page)</legend>
        <Field path="fallbackLinks.0.label" label="Link text" errors={errors}>
          <input type="text" {...text("linkLabel")} {...describe("fallbackLinks.0.label", errors)} />
        </Field>
        <Field path="fallbackLinks.0.url" label="Link address" errors={errors}>
          <input type="text" inputMode="url" {...text("linkUrl")} {...describe("fallbackLinks.0.url", errors)} />
        </Field>
      </fieldset>
      <button type="submit" class="primary">
        Create library
      </button>
    </form>
  );
}

function InviteAdministratorForm({ libraries, onInvited }: { libraries: ServiceLibraryRow[]; onInvited: (text: string) => void }) {
  const choices = libraries.filter((l) => l.archivedAt === null);
  const [libraryId, setLibraryId] = useState("");
  const [invite, setInvite] = useState({ displayName: "", email: "" });
  const [errors, setErrors] = useState<FieldErrors>({});
  const chosen = libraryId || choices[0]?.id || "";
  const submit = async (e: Event) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!chosen) found.libraryId = "Create a library first";
    if (!invite.displayName.trim()) found.displayName = "Enter the person's name";
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(invite.email.trim())) found.email = "Enter a valid e-mail address";
    setErrors(found);
    if (Object.keys(found).length) return;
    const r = await api<{ librarian: { email: string } }>(`/api/admin/libraries/${chosen}/invitations`, { method: "POST", body: { ...invite, role: "library_admin" } });
    if (!r.ok) return setErrors(errorsFrom(r.error));
    setInvite({ displayName: "", email: "" });
    onInvited(`Invitation sent to ${r.data.librarian.email}, administrator of ${choices.find((l) => l.id === chosen)?.name ?? chosen}.`);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <ChoiceField path="libraryId" label="Library" choices={choices} value={chosen} onChange={setLibraryId} errors={errors} />
      <Field path="displayName" label="Administrator's name" errors={errors}>
        <input type="text" autoComplete="off" value={invite.displayName} onInput={(e) => setInvite({ ...invite, displayName: inputValue(e) })} {...describe("displayName", errors)} />
      </Field>
      <Field path="email" label="Administrator's e-mail address" hint="They get a link to choose their password; it works once, for seven days." errors={errors}>
        <input type="email" autoComplete="off" value={invite.email} onInput={(e) => setInvite({ ...invite, email: inputValue(e) })} {...describe("email", errors, true)} />
      </Field>
      <button type="submit" class="primary">
        Invite administrator
      </button>
    </form>
  );
}

function ImportForm({ onImported }: { onImported: (result: ImportResult) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return setErrors({ archive: "Choose the archive (.zip) to import" });
    setErrors({});
    setBusy(true);
    const r = await upload<{ imported: ImportResult }>("/api/admin/service/import", new Blob([file], { type: "application/zip" }));
    setBusy(false);
    if (!r.ok) return setErrors({ archive: r.error.message });
    onImported(r.data.imported);
  };
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      <Field path="archive" label="Archive (.zip)" hint="A library's or a group's archive from a Refdesk export. Nothing is changed unless all of it can be imported." errors={errors}>
        <input type="file" accept=".zip,application/zip" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} {...describe("archive", errors, true)} />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Importing…" : "Import archive"}
      </button>
    </form>
  );
}

export function ServiceLibrariesPage({ boot }: { boot: AdminBootstrap }) {
  const [libraries, setLibraries] = useState<ServiceLibraryRow[]>([]);
  const [status, say] = useStatus();
  const load = () => api<{ libraries: ServiceLibraryRow[] }>("/api/admin/service/libraries").then((r) => (r.ok ? setLibraries(r.data.libraries) : say(r.error.message)));
  useEffect(() => void load(), []);

  const setArchived = async (row: ServiceLibraryRow, archive: boolean) => {
    if (archive && !confirm(`Archive ${row.name}? Its data stays (questions, transcripts, settings, accounts), but its chat forms and Qwidget stop taking new chats. Chats already open may finish.`)) return;
    const r = await api(`/api/admin/service/libraries/${row.id}/${archive ? "archive" : "unarchive"}`, { method: "POST" });
    say(r.ok ? (archive ? `${row.name} is archived: it takes no new chats.` : `${row.name} takes chats again.`) : r.error.message);
    void load();
  };

  return (
    <AdminLayout boot={boot} title="Libraries of the service">
      <StatusLine text={status} />
      <section aria-labelledby="libraries-heading">
        <h2 id="libraries-heading">Libraries</h2>
        <p>
          Archiving a library keeps all of its data — questions, transcripts, settings, accounts, its archive download — and stops chat: its hosted forms say it takes no chat
          requests, and its Qwidget hides. Chats already open may finish. Unarchive it to take chats again.
        </p>
        <DataTable
          class="data-table"
          caption="Every library of the service"
          rows={libraries}
          rowKey={(l) => l.id}
          empty="No libraries yet."
          columns={[
            { header: "Library", rowHeader: true, cell: (l) => l.name },
            { header: "Id", cell: (l) => <code>{l.id}</code> },
            { header: "Time zone", cell: (l) => l.timeZone },
            { header: "Administrators", cell: (l) => `${l.administrators}${l.invitedAdministrators ? ` (${l.invitedAdministrators} invited)` : ""}` },
            { header: "Groups", cell: (l) => l.groups.map((g) => g.name).join(", ") || "—" },
            { header: "State", cell: (l) => (l.archivedAt ? `Archived ${formatTime(l.archivedAt)}` : "Takes chats") },
            {
              header: "Actions",
              class: "actions",
              cell: (l) => (
                <>
                  <a href={`/admin/libraries/${l.id}/settings`}>
                    Edit<span class="visually-hidden"> {l.name}</span>
                  </a>
                  <a href={`/admin/libraries/${l.id}/librarians`}>
                    Accounts<span class="visually-hidden"> of {l.name}</span>
                  </a>
                  <button type="button" class={l.archivedAt ? undefined : "danger"} onClick={() => void setArchived(l, l.archivedAt === null)}>
                    {l.archivedAt ? "Unarchive" : "Archive"}
                    <span class="visually-hidden"> {l.name}</span>
                  </button>
                </>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="new-library-heading">
        <h2 id="new-library-heading">New library</h2>
        <NewLibraryForm
          onCreated={(row) => {
            say(`${row.name} is created. Invite its first administrator below.`);
            void load();
          }}
        />
      </section>
      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite a library's administrator</h2>
        <InviteAdministratorForm libraries={libraries} onInvited={(text) => (say(text), void load())} />
      </section>
      <section aria-labelledby="import-heading">
        <h2 id="import-heading">Import an archive</h2>
        <ImportForm
          onImported={(result) => {
            say(
              `Imported ${result.kind} ${result.name}.${result.accountsWithoutPassword ? ` Its ${result.accountsWithoutPassword} accounts have no password yet: send each a password reset from its Accounts page.` : ""} ${result.notes.join(" ")}`.trim(),
            );
            void load();
          }}
        />
      </section>
    </AdminLayout>
  );
}
