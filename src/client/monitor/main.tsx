/** Entry point of the chat monitor (/monitor). */
import { render } from "preact";
import { cleanDisplayData } from "../../shared/display-text";
import patronEn from "../../i18n/catalogs/en.json";
import staffEn from "../../i18n/catalogs/staff/en.json";
import { compileMessages } from "../../i18n/message-format";
import { setMessages } from "../shared/i18n";
import { MonitorApp, type MonitorBootstrap } from "./MonitorApp";

// The staff side is English for now, through the same catalogs as the patron's (system lines, the shared transcript).
setMessages("en", compileMessages({ ...patronEn, ...staffEn }));
const boot = cleanDisplayData(JSON.parse(document.getElementById("bootstrap")!.textContent!) as MonitorBootstrap);
const root = document.getElementById("monitor-root")!;
// The server's "Loading…" placeholder is not Preact's to diff against: start empty.
root.textContent = "";
render(<MonitorApp boot={boot} />, root);
