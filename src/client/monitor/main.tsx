/** Entry point of the chat monitor (/monitor). */
import { render } from "preact";
import { MonitorApp, type MonitorBootstrap } from "./MonitorApp";

const boot = JSON.parse(document.getElementById("bootstrap")!.textContent!) as MonitorBootstrap;
render(<MonitorApp boot={boot} />, document.getElementById("monitor-root")!);
