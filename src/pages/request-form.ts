/**
 * The hosted chat request form, server-rendered so it works without
 * JavaScript: the library's name and colours, the form's intro and fields,
 * and — after a refused post — every problem listed at the top, linked to
 * and described by its field, with what the patron typed kept.
 */
import { html, raw } from "hono/html";
import type { FieldError, SubmittedValues } from "../patrons/chat-request";
import { alternativesOf, brandOf, type FormWithLibrary } from "../patrons/forms";
import type { Alternatives } from "../shared/api";
import { patronFields, questionField, requestFieldPath, type FormField } from "../shared/forms";
import { LIMITS } from "../shared/limits";
import { page, type Html } from "./layout";

export interface RequestFormOptions {
  found: FormWithLibrary;
  available: boolean;
  values?: SubmittedValues;
  errors?: FieldError[];
}

const EMPTY: SubmittedValues = { question: "", name: "", email: "", fields: {}, noTranscript: false };

/** The id of the input a request field is typed into. */
function inputIdFor(field: string | undefined): string | null {
  if (!field) return null;
  if (field === "question" || field === "name" || field === "email") return `f-${field}`;
  if (field === "noTranscript") return "f-no-transcript";
  if (field.startsWith("fields.")) return `f-${field.slice(7)}`;
  return null;
}

function errorFor(errors: FieldError[], field: string): FieldError | undefined {
  return errors.find((e) => e.field === field);
}

/**
 * A control's state attributes: described by its error (read first), then its
 * help; invalid when it has an error. Ids come from validated field ids
 * (`[a-z0-9-_]`), so the markup is safe to emit as is.
 */
function controlAttrs(id: string, o: { error: boolean; help: boolean; required: boolean }) {
  const described = [o.error && `${id}-error`, o.help && `${id}-help`].filter(Boolean).join(" ");
  return raw(`${described ? ` aria-describedby="${described}"` : ""}${o.error ? ' aria-invalid="true"' : ""}${o.required ? " required" : ""}`);
}

function fieldError(id: string, error: FieldError | undefined) {
  return error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${error.message}</p>` : "";
}

function fieldInput(f: FormField, values: SubmittedValues, errors: FieldError[]) {
  const path = requestFieldPath(f);
  const name = path.startsWith("fields.") ? `field:${f.id}` : f.id;
  const id = `f-${f.id}`;
  const error = errorFor(errors, path);
  const value = f.id === "name" ? values.name : f.id === "email" ? values.email : (values.fields[f.id] ?? "");
  const aria = controlAttrs(id, { error: !!error, help: !!f.help, required: f.required });
  const label = html`<label for="${id}">${f.label}${f.required ? "" : html` <span class="optional">(optional)</span>`}</label>`;
  const help = f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : "";
  const wrap = (control: unknown) => html`<div class="field${error ? " has-error" : ""}">${label}${help}${fieldError(id, error)}${control}</div>`;
  if (f.kind === "select") {
    return wrap(html`<select id="${id}" name="${name}"${aria}>
      <option value="">Choose…</option>${(f.options ?? []).map((o) => html`<option${o === value ? html` selected` : ""}>${o}</option>`)}</select>`);
  }
  if (f.kind === "textarea") {
    return wrap(html`<textarea id="${id}" name="${name}" rows="3" maxlength="${LIMITS.fieldChars}"${aria}>${value}</textarea>`);
  }
  const email = f.kind === "email";
  const maxLength = email ? LIMITS.emailChars : f.id === "name" ? LIMITS.nameChars : LIMITS.fieldChars;
  const autocomplete = email ? "email" : f.id === "name" ? "name" : "off";
  return wrap(html`<input id="${id}" name="${name}" type="${email ? "email" : "text"}" maxlength="${maxLength}" autocomplete="${autocomplete}" value="${value}"${aria}>`);
}

function errorSummary(errors: FieldError[]) {
  if (errors.length === 0) return "";
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
    <h2 id="error-summary-title">Your question was not sent</h2>
    <ul>${errors.map((e) => {
      const target = inputIdFor(e.field);
      return html`<li>${target ? html`<a href="#${target}">${e.message}</a>` : e.message}</li>`;
    })}</ul>
  </div>`;
}

function brandBar(found: FormWithLibrary) {
  const { brandColor, brandText } = brandOf(found);
  const logo = found.form.logoUrl;
  return html`<header class="brand-bar" style="--brand:${brandColor};--brand-text:${brandText}">${
    logo ? html`<img class="brand-logo" src="${logo}" alt="${found.library.name}" height="40">` : html`<p class="brand-name">${found.library.name}</p>`
  }</header>`;
}

/** The form page, blank or showing the problems with a refused post. */
export function requestFormPage({ found, available, values = EMPTY, errors = [] }: RequestFormOptions): Html {
  const { form, library } = found;
  const { brandColor, brandText } = brandOf(found);
  const questionError = errorFor(errors, "question");
  const question = questionField(form.fields);
  const optOutId = "f-no-transcript";
  return page({
    title: `${errors.length ? "Error: " : ""}${form.title} — ${library.name}`,
    bodyClass: "hosted-form",
    body: html`${brandBar(found)}
<main class="narrow">
  <h1>${form.title}</h1>
  ${form.intro ? html`<p class="intro">${form.intro}</p>` : ""}
  ${errorSummary(errors)}
  <p class="availability ${available ? "available" : "unavailable"}">
    ${available ? "A librarian is online now." : "No librarian is online right now. You can still send your question and we will show you other ways to get help."}
  </p>
  <form method="post" action="/api/chats" class="stack">
    <input type="hidden" name="formId" value="${form.id}">
    <div class="field${questionError ? " has-error" : ""}">
      <label for="f-question">${question.label}</label>
      ${question.help ? html`<p class="help" id="f-question-help">${question.help}</p>` : ""}
      ${fieldError("f-question", questionError)}
      <textarea id="f-question" name="question" rows="4" maxlength="${LIMITS.questionChars}"${controlAttrs("f-question", { error: !!questionError, help: !!question.help, required: true })}>${values.question}</textarea>
    </div>
    ${patronFields(form.fields).map((f) => fieldInput(f, values, errors))}
    <div class="field checkbox">
      <input id="${optOutId}" name="noTranscript" type="checkbox"${values.noTranscript ? html` checked` : ""} aria-describedby="${optOutId}-help">
      <div>
        <label for="${optOutId}">Do not e-mail me a transcript of this chat</label>
        <p class="help" id="${optOutId}-help">You can change this during the chat.</p>
      </div>
    </div>
    <button type="submit" class="primary" style="--brand:${brandColor};--brand-text:${brandText}">Ask a librarian</button>
  </form>
</main>`,
  });
}

export function alternativesBlock(alt: Alternatives) {
  return html`<section aria-labelledby="alt-heading" class="alternatives">
  <h2 id="alt-heading">Other ways to get help</h2>
  <p>${alt.message}</p>
  <ul>
    ${alt.email ? html`<li>E-mail: <a href="mailto:${alt.email}">${alt.email}</a></li>` : ""}
    ${alt.phone ? html`<li>Phone: ${alt.phone}</li>` : ""}
    ${alt.hours ? html`<li>Hours: ${alt.hours}</li>` : ""}
    ${alt.links.map((l) => html`<li><a href="${l.url}" target="_blank" rel="noopener noreferrer">${l.label}</a></li>`)}
  </ul>
</section>`;
}

/** A form the library has turned off: say so, and where else to go. */
export function formTurnedOffPage(found: FormWithLibrary): Html {
  const { form, library } = found;
  const why = library.archivedAt !== null ? `${library.name} no longer takes chat requests here.` : `${library.name} is not taking chats through this form any more.`;
  return page({
    title: `${form.title} — unavailable`,
    body: html`${brandBar(found)}<main class="narrow"><h1>${form.title}</h1><p>${why}</p>${alternativesBlock(alternativesOf(library))}</main>`,
  });
}

export function formMissingPage(): Html {
  return page({
    title: "Form not found — Refdesk",
    body: html`<main class="narrow"><h1>Chat form not found</h1><p>Check the link, or go back to your library's website.</p></main>`,
  });
}

/** A post refused before its form could be shown again (e.g. far too large). */
export function requestRefusedPage(message: string): Html {
  return page({
    title: "Error: your question was not sent — Refdesk",
    body: html`<main class="narrow"><h1>Your question was not sent</h1><div class="error-summary" role="alert"><p>${message}</p></div>
<p>Go back to the form, check what you typed, and try again.</p></main>`,
  });
}
