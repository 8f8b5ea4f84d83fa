// `npm start`: build the front ends, apply migrations, seed the demo (with a statistics history), run wrangler dev.
import { DEMO_FORMS, DEMO_LIBRARIANS, DEMO_PASSWORD } from "./demo-data.mjs";
import { buildFrontEnds, prepareLocalState, startWranglerDev } from "./local-state.mjs";

const port = Number(process.env.PORT ?? 8787);
buildFrontEnds();
await prepareLocalState(undefined, { history: true });
const { base } = await startWranglerDev({ port, inherit: true, ip: process.env.IP ?? "localhost" });
const site = base.replace("127.0.0.1", "localhost");

console.log(`
Refdesk is running at ${site}

  Patron chat forms:
${DEMO_FORMS.map((f) => `    ${site}/f/${f.id}`).join("\n")}
  A library home page with the Qwidget:
    ${site}/demo/library.html
  Librarian chat monitor (open in another browser or a private window):
    ${site}/monitor
  Statistics (months of demo history; sign in as marge, or edna for the cooperative):
    ${site}/stats
  Demo librarians (password "${DEMO_PASSWORD}"):
${DEMO_LIBRARIANS.map((l) => `    ${l.email} — ${l.displayName}, ${l.libraryId}`).join("\n")}

Stop with Ctrl+C.
`);
