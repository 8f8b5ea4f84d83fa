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
import { CHAT_RECORD_KEY, LANGUAGE_KEY } from "./chat-record";
import css from "./launcher.css";
import type { mount } from "./app";

const script = document.currentScript as HTMLScriptElement | null;

if (script && !document.querySelector("refdesk-qwidget")) {
  const origin = new URL(script.src).origin;
  const { refdeskForm: form, refdeskLibrary: library } = script.dataset;
  const query = new URLSearchParams(form ? { form } : { library: library ?? "" });
  // The language: the page's ?lang=, else the patron's earlier choice in the widget, else the browser's (the server picks among the form's).
  let lang = new URLSearchParams(location.search).get("lang");
  try {
    lang ||= localStorage.getItem(LANGUAGE_KEY);
  } catch {
    // Storage blocked: no earlier choice.
  }
  if (lang) query.set("lang", lang);
  query.set("langs", navigator.languages.join());
  fetch(`${origin}/api/embed/status?${query}`)
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
      const words = status.launcher;
      // The words are the service's own catalog's, set as text; only the markup around them is written here.
      root.innerHTML = `<style>${css}</style><aside><button type="button" class="launcher" aria-expanded="false"><span><span></span><span class=sub></span></span></button></aside>`;
      const aside = root.querySelector("aside")!;
      aside.lang = status.language.tag;
      aside.dir = status.language.dir;
      aside.setAttribute("aria-label", words.label);
      const [main, sub] = root.querySelectorAll("span span");
      main!.textContent = on ? words.online : words.offline;
      sub!.textContent = on ? words.onlineNote : words.offlineNote;
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
