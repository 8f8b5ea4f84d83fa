/**
 * Policy pages in the browser, no framework (a few hundred bytes matter less
 * here than in the monitor, but nothing here needs one):
 * - Copy buttons on quick answers ([data-copy] names the element whose text to
 *   copy), announced through the page's status region.
 * - Rich-text editing: each textarea[data-rich-text] gets a formatting toolbar
 *   and an editable region; the textarea stays in the form (hidden) and carries
 *   the HTML. The server sanitises what it receives and refuses unsafe markup;
 *   here we only keep the editor itself from running anything while it shows it.
 */

function announce(text: string): void {
  const status = document.getElementById("copy-status");
  if (status) status.textContent = text;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure origin, permissions): fall back to a selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy ?? "");
    if (!source) return;
    const ok = await copyText(source.textContent ?? "");
    const title = document.getElementById(`${source.id}-h`)?.textContent ?? "answer";
    announce(ok ? `Copied “${title}”.` : "Could not copy; select the text and copy it by hand.");
    // Only the visible word changes; the hidden rest of the name keeps saying which answer.
    const label = button.querySelector(".copy-label");
    if (!label) return;
    label.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => (label.textContent = "Copy"), 2000);
  });
}

// ---- rich-text editor ----------------------------------------------------------

const DROP = "script,style,iframe,frame,object,embed,applet,form,input,button,textarea,select,link,meta,base,svg,math,template,noscript,img,video,audio";

/** Inert parse (a <template> runs nothing and loads nothing), then drop active content before it goes live in the editor. */
function inertFragment(source: string): DocumentFragment {
  const t = document.createElement("template");
  t.innerHTML = source;
  for (const el of t.content.querySelectorAll(DROP)) el.remove();
  for (const el of t.content.querySelectorAll("*")) {
    // A copy: removing an attribute changes the live list being walked.
    for (const attr of Array.from(el.attributes)) {
      const unsafeUrl = attr.name === "href" && !/^(https?:|mailto:|tel:|#|\/)/i.test(attr.value.trim());
      if (attr.name.startsWith("on") || attr.name === "style" || unsafeUrl) el.removeAttribute(attr.name);
    }
  }
  return t.content;
}

const COMMANDS: { label: string; run: () => void }[] = [
  { label: "Bold", run: () => document.execCommand("bold") },
  { label: "Italic", run: () => document.execCommand("italic") },
  { label: "Bulleted list", run: () => document.execCommand("insertUnorderedList") },
  { label: "Numbered list", run: () => document.execCommand("insertOrderedList") },
  {
    label: "Link",
    run: () => {
      const url = window.prompt("Link address (https://…, mailto:… or tel:…)");
      if (url && /^(https?:\/\/|mailto:|tel:)/i.test(url.trim())) document.execCommand("createLink", false, url.trim());
    },
  },
  { label: "Remove link", run: () => document.execCommand("unlink") },
];

function enhance(textarea: HTMLTextAreaElement): void {
  const label = document.querySelector<HTMLLabelElement>(`label[for="${textarea.id}"]`);
  if (!label) return;
  if (!label.id) label.id = `${textarea.id}-label`;
  const wrapper = document.createElement("div");
  wrapper.className = "rich-editor";
  const toolbar = document.createElement("div");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", `Formatting: ${label.textContent ?? ""}`);
  const editor = document.createElement("div");
  editor.contentEditable = "true";
  editor.className = "rich-editable";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  editor.setAttribute("aria-labelledby", label.id);
  const described = textarea.getAttribute("aria-describedby");
  if (described) editor.setAttribute("aria-describedby", described);
  if (textarea.getAttribute("aria-invalid")) editor.setAttribute("aria-invalid", "true");
  editor.append(inertFragment(textarea.value));
  const sync = () => (textarea.value = editor.innerHTML);
  editor.addEventListener("input", sync);
  for (const c of COMMANDS) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "small";
    b.textContent = c.label;
    // Keep the editor's selection: act on mousedown without taking focus, and on keyboard activation.
    b.addEventListener("mousedown", (e) => e.preventDefault());
    b.addEventListener("click", () => {
      editor.focus();
      c.run();
      sync();
    });
    toolbar.append(b);
  }
  const source = document.createElement("button");
  source.type = "button";
  source.className = "small";
  source.textContent = "Edit HTML";
  source.setAttribute("aria-pressed", "false");
  source.addEventListener("click", () => {
    const showing = textarea.hidden;
    if (showing) sync();
    else {
      editor.replaceChildren(inertFragment(textarea.value));
    }
    textarea.hidden = !showing;
    editor.hidden = showing;
    source.setAttribute("aria-pressed", String(showing));
    (showing ? textarea : editor).focus();
  });
  toolbar.append(source);
  label.addEventListener("click", (e) => {
    if (textarea.hidden) {
      e.preventDefault();
      editor.focus();
    }
  });
  textarea.hidden = true;
  textarea.before(wrapper);
  wrapper.append(toolbar, editor, textarea);
}

document.querySelectorAll<HTMLTextAreaElement>("textarea[data-rich-text]").forEach(enhance);
