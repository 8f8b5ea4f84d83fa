/** A library's sign-ins and failed sign-ins, newest first: who, when, from which network (a /24 or /48). */
import { useEffect, useState } from "preact/hooks";
import type { SignInRow } from "../../shared/admin-views";
import { DataTable } from "../shared/DataTable";
import { api } from "./api";
import { formatTime } from "./ui";

export function SignInLog({ libraryId }: { libraryId: string }) {
  const [entries, setEntries] = useState<SignInRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const endpoint = `/api/admin/libraries/${libraryId}/sign-ins`;
  const load = (before?: number) =>
    api<{ entries: SignInRow[]; nextBefore: number | null }>(`${endpoint}${before ? `?before=${before}` : ""}`).then((r) => {
      if (!r.ok) return;
      setEntries((old) => (before ? [...old, ...r.data.entries] : r.data.entries));
      setNext(r.data.nextBefore);
    });
  useEffect(() => void load(), [endpoint]);
  if (entries.length === 0) return <p>No sign-ins yet.</p>;
  return (
    <>
      <DataTable
        class="data-table audit-table"
        caption="Sign-ins and failed sign-ins, newest first"
        rows={entries}
        rowKey={(e) => e.id}
        columns={[
          { header: "When", cell: (e) => formatTime(e.createdAt) },
          { header: "Who", cell: (e) => e.librarianName ?? "—" },
          { header: "What", cell: (e) => (e.outcome === "signed_in" ? "Signed in" : "Failed sign-in") },
          { header: "From network", cell: (e) => e.network ?? "—" },
        ]}
      />
      {next ? (
        <button type="button" onClick={() => load(next)}>
          Show older sign-ins
        </button>
      ) : null}
    </>
  );
}
