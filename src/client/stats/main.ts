/**
 * The statistics page works without script; this adds "live": a button that
 * refreshes the figures every minute (fetching this very URL and swapping in
 * the new report), telling screen readers once per refresh, without moving focus.
 */
const REFRESH_MS = 60_000;

function setUp(): void {
  const report = document.getElementById("report");
  const status = document.querySelector<HTMLElement>(".live");
  if (!report || !status) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "live-toggle";
  button.setAttribute("aria-pressed", "false");
  button.textContent = "Refresh every minute";
  report.before(button);
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refresh(): Promise<void> {
    try {
      const res = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      const next = new DOMParser().parseFromString(await res.text(), "text/html").getElementById("report");
      const current = document.getElementById("report");
      if (!next || !current) throw new Error("no report");
      // Keep focus where it was when it is not inside the part replaced.
      if (current.contains(document.activeElement)) button.focus();
      current.replaceWith(document.importNode(next, true));
      status!.textContent = `Figures updated at ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`;
    } catch {
      status!.textContent = "The figures could not be updated; they will be tried again in a minute.";
    }
  }

  button.addEventListener("click", () => {
    const on = timer === null;
    if (on) timer = setInterval(() => void refresh(), REFRESH_MS);
    else {
      clearInterval(timer!);
      timer = null;
    }
    button.setAttribute("aria-pressed", String(on));
    status.textContent = on ? "The figures will refresh every minute." : "Refreshing stopped.";
  });
}

setUp();
