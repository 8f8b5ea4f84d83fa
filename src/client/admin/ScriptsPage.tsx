/** /admin/libraries/:id/scripts — the library's scripts (canned messages), for its administrators. */
import type { AdminBootstrap } from "../../shared/admin-views";
import { AdminLayout } from "./layout";
import { ScriptsManager } from "./ScriptsManager";

export function ScriptsPage({ boot }: { boot: AdminBootstrap }) {
  const libraryId = boot.params.libraryId!;
  return (
    <AdminLayout boot={boot} title="Scripts (canned messages)" libraryId={libraryId}>
      <p>
        Every librarian of the library uses these in the chat monitor. Cooperatives keep their own scripts (on the cooperative's page), and each librarian may keep personal ones (under{" "}
        <a href="/admin/account">Your account</a>).
      </p>
      <ScriptsManager owner={{ scope: "library", libraryId }} idBase="library-scripts" canEdit heading="The library's scripts" />
    </AdminLayout>
  );
}
