/** Entry point of the admin pages (/admin/*): the server shell names the page; this renders it. */
import { render } from "preact";
import type { AdminBootstrap } from "../../shared/admin-views";
import { AccountPage } from "./AccountPage";
import { AuditPage } from "./AuditPage";
import { FormEditorPage } from "./FormEditorPage";
import { FormsPage } from "./FormsPage";
import { GroupPage } from "./GroupPage";
import { LibrariansPage } from "./LibrariansPage";
import { OverviewPage } from "./OverviewPage";
import { PrivacyPage } from "./PrivacyPage";
import { ServiceGroupsPage } from "./ServiceGroupsPage";
import { ServiceHealthPage } from "./ServiceHealthPage";
import { ServiceLibrariesPage } from "./ServiceLibrariesPage";
import { RatingsPage } from "./RatingsPage";
import { ScriptsPage } from "./ScriptsPage";
import { SettingsPage } from "./SettingsPage";

const PAGES = {
  overview: OverviewPage,
  account: AccountPage,
  librarians: LibrariansPage,
  forms: FormsPage,
  form: FormEditorPage,
  settings: SettingsPage,
  privacy: PrivacyPage,
  audit: AuditPage,
  group: GroupPage,
  "service-libraries": ServiceLibrariesPage,
  "service-groups": ServiceGroupsPage,
  "service-health": ServiceHealthPage,
  scripts: ScriptsPage,
  ratings: RatingsPage,
} satisfies Record<AdminBootstrap["page"], (p: { boot: AdminBootstrap }) => unknown>;

const boot = JSON.parse(document.getElementById("bootstrap")!.textContent!) as AdminBootstrap;
const Page = PAGES[boot.page];
const root = document.getElementById("admin-root")!;
// The shell's "Loading…" is a placeholder, not markup to hydrate.
root.textContent = "";
render(<Page boot={boot} />, root);
