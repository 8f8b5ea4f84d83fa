/**
 * The Qwidget loader: the one script each page view of a library's site
 * downloads (budget 2 KB gzip, bench/weight.mjs). It reads its own tag's
 * `data-refdesk-form` (or `data-refdesk-library`), asks the service whether
 * chat is available, and shows a launcher inside a Shadow DOM: the page's CSS
 * cannot reach in, and ours cannot leak out. The widget itself loads only when
 * the patron opens it — or at once when there is a chat to resume. It defines
 * no globals; a site that refuses the embed gets a console warning and no widget.
 */
import type { EmbedStatus } from "../../shared/api";
import { CHAT_RECORD_KEY } from "./chat-record";
import css from "./launcher.css";
import type { mount } from "./app";

const script = document.currentScript as HTMLScriptElement | null;

if (script && !document.querySelector("refdesk-qwidget")) {
  const origin = new URL(script.src).origin;
  const { refdeskForm: form, refdeskLibrary: library } = script.dataset;
  fetch(`${origin}/api/embed/status?${new URLSearchParams(form ? { form } : { library: library ?? "" })}`)
    .then(async (res) => {
      const body = await res.json();
      if (!res.ok) throw body.error?.message ?? res.status;
      return body as EmbedStatus;
    })
    .then((status) => {
      let resume = false;
      try {
        resume = !!localStorage.getItem(CHAT_RECORD_KEY);
      } catch {
        // Storage blocked: nothing to resume.
      }
      if (status.hidden && !resume) return;
      const host = document.createElement("refdesk-qwidget");
      // The one element we add to the page; inline !important beats any page rule, and resets what would be inherited.
      // (`all` leaves direction alone: set it too, or a right-to-left page would flip the widget.)
      host.style.cssText = "all:initial!important;direction:ltr!important;position:fixed!important;z-index:2147483647!important";
      const root = host.attachShadow({ mode: "open" });
      const on = status.available;
      root.innerHTML = `<style>${css}</style><aside aria-label="Ask a librarian"><button type="button" class="launcher" aria-expanded="false"><span>${
        on ? "Chat with a librarian<span class=sub>Online now</span>" : "Ask a librarian<span class=sub>Chat offline</span>"
      }</span></button></aside>`;
      const launcher = root.querySelector("button")!;
      launcher.style.setProperty("--brand", status.library.brandColor);
      launcher.style.setProperty("--brand-text", status.library.brandText);
      let app: Promise<() => void> | undefined;
      const load = () => (app ??= import(origin + QWIDGET_APP).then((m: { mount: typeof mount }) => m.mount({ root, launcher, status, origin })));
      launcher.onclick = () => load().then((toggle) => toggle());
      (document.body ?? document.documentElement).append(host);
      if (resume) void load();
    })
    .catch((problem) => console.warn("Refdesk Qwidget:", problem));
}
