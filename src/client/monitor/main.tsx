/** Entry point of the chat monitor (/monitor). */
import { render } from "preact";
import { cleanDisplayData } from "../../shared/display-text";
import { MonitorApp, type MonitorBootstrap } from "./MonitorApp";

const boot = cleanDisplayData(JSON.parse(document.getElementById("bootstrap")!.textContent!) as MonitorBootstrap);
const root = document.getElementById("monitor-root")!;
// The server's "Loading…" placeholder is not Preact's to diff against: start empty.
root.textContent = "";
render(<MonitorApp boot={boot} />, root);
