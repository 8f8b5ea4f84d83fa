/**
 * The hosted chat request form, server-rendered so it works without
 * JavaScript: the library's name and colours, the form's intro and fields,
 * and — after a refused post — every problem listed at the top, linked to
 * and described by its field, with what the patron typed kept.
 */
import { html, raw } from "hono/html";
import { translator, type Translator } from "../i18n/catalog";
import { directionOf, type Language } from "../i18n/languages";
import type { FieldError, SubmittedValues } from "../patrons/chat-request";
import { alternativesIn, languageOptions, localizeForm, type LocalizedForm } from "../patrons/form-language";
import { brandOf, type FormWithLibrary } from "../patrons/forms";
import type { Alternatives } from "../shared/api";
import { requestFieldPath, type FormField } from "../shared/forms";
import { LIMITS } from "../shared/limits";
import { page, type Html } from "./layout";

export interface RequestFormOptions {
  found: FormWithLibrary;
  /** The form in the patron's language. */
  local: LocalizedForm;
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

function fieldError(t: Translator, id: string, error: FieldError | undefined) {
  return error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${t("form.error")} </span>${error.message}</p>` : "";
}

function fieldInput(t: Translator, f: FormField, values: SubmittedValues, errors: FieldError[]) {
  const path = requestFieldPath(f);
  const name = path.startsWith("fields.") ? `field:${f.id}` : f.id;
  const id = `f-${f.id}`;
  const error = errorFor(errors, path);
  const value = f.id === "name" ? values.name : f.id === "email" ? values.email : (values.fields[f.id] ?? "");
  const aria = controlAttrs(id, { error: !!error, help: !!f.help, required: f.required });
  const label = html`<label for="${id}">${f.label}${f.required ? "" : html` <span class="optional">${t("form.optional")}</span>`}</label>`;
  const help = f.help ? html`<p class="help" id="${id}-help">${f.help}</p>` : "";
  const wrap = (control: unknown) => html`<div class="field${error ? " has-error" : ""}">${label}${help}${fieldError(t, id, error)}${control}</div>`;
  if (f.kind === "select") {
    return wrap(html`<select id="${id}" name="${name}"${aria}>
      <option value="">${t("form.choose")}</option>${(f.options ?? []).map((o, i) => html`<option${f.optionLabels ? html` value="${o}"` : ""}${o === value ? html` selected` : ""}>${f.optionLabels?.[i] ?? o}</option>`)}</select>`);
  }
  if (f.kind === "textarea") {
    return wrap(html`<textarea id="${id}" name="${name}" rows="3" maxlength="${LIMITS.fieldChars}"${aria}>${value}</textarea>`);
  }
  const email = f.kind === "email";
  const maxLength = email ? LIMITS.emailChars : f.id === "name" ? LIMITS.nameChars : LIMITS.fieldChars;
  const autocomplete = email ? "email" : f.id === "name" ? "name" : "off";
  return wrap(html`<input id="${id}" name="${name}" type="${email ? "email" : "text"}" maxlength="${maxLength}" autocomplete="${autocomplete}" value="${value}"${aria}>`);
}

function errorSummary(t: Translator, errors: FieldError[]) {
  if (errors.length === 0) return "";
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
    <h2 id="error-summary-title">${t("form.notSent")}</h2>
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

/**
 * Links to the form in each language it offers (none when it offers one):
 * each named in its own language, the current one marked.
 */
function languageSwitcher(found: FormWithLibrary, local: LocalizedForm) {
  const options = languageOptions(found.form);
  if (options.length < 2) return "";
  return html`<nav class="language-switcher" aria-label="${local.t("chat.language")}"><ul>${options.map(
    (o) => html`<li><a href="?lang=${o.tag}" lang="${o.tag}" hreflang="${o.tag}"${o.tag === local.language ? raw(' aria-current="true"') : ""}>${o.name}</a></li>`,
  )}</ul></nav>`;
}

/** The form page, blank or showing the problems with a refused post. */
export function requestFormPage({ found, local, available, values = EMPTY, errors = [] }: RequestFormOptions): Html {
  const { form, library } = found;
  const { t } = local;
  const { brandColor, brandText } = brandOf(found);
  const questionError = errorFor(errors, "question");
  const question = local.question;
  const optOutId = "f-no-transcript";
  return page({
    title: `${errors.length ? t("form.errorTitle", { title: local.title }) : local.title} — ${library.name}`,
    bodyClass: "hosted-form",
    lang: local.language,
    dir: local.dir,
    body: html`${brandBar(found)}
<main class="narrow">
  ${languageSwitcher(found, local)}
  <h1>${local.title}</h1>
  ${local.intro ? html`<p class="intro">${local.intro}</p>` : ""}
  ${errorSummary(t, errors)}
  <p class="availability ${available ? "available" : "unavailable"}">
    ${available ? t("form.online") : t("form.offline")}
  </p>
  <form method="post" action="/api/chats" class="stack">
    <input type="hidden" name="formId" value="${form.id}">
    <input type="hidden" name="language" value="${local.language}">
    <div class="field${questionError ? " has-error" : ""}">
      <label for="f-question">${question.label}</label>
      ${question.help ? html`<p class="help" id="f-question-help">${question.help}</p>` : ""}
      ${fieldError(t, "f-question", questionError)}
      <textarea id="f-question" name="question" rows="4" maxlength="${LIMITS.questionChars}"${controlAttrs("f-question", { error: !!questionError, help: !!question.help, required: true })}>${values.question}</textarea>
    </div>
    ${local.fields.map((f) => fieldInput(t, f, values, errors))}
    <div class="field checkbox">
      <input id="${optOutId}" name="noTranscript" type="checkbox"${values.noTranscript ? html` checked` : ""} aria-describedby="${optOutId}-help">
      <div>
        <label for="${optOutId}">${t("form.noTranscriptLong")}</label>
        <p class="help" id="${optOutId}-help">${t("form.noTranscriptHelp")}</p>
      </div>
    </div>
    <button type="submit" class="primary" style="--brand:${brandColor};--brand-text:${brandText}">${t("form.submit")}</button>
  </form>
</main>`,
  });
}

/** The library's other ways to get help, worded in `t`'s language. */
export function alternativesBlock(alt: Alternatives, t: Translator = translator("en")) {
  return html`<section aria-labelledby="alt-heading" class="alternatives">
  <h2 id="alt-heading">${t("alternatives.heading")}</h2>
  <p>${alt.message}</p>
  <ul>
    ${alt.email ? html`<li>${t("alternatives.email")} <a href="mailto:${alt.email}">${alt.email}</a></li>` : ""}
    ${alt.phone ? html`<li>${t("alternatives.phone")} ${alt.phone}</li>` : ""}
    ${alt.hours ? html`<li>${t("alternatives.hours")} ${alt.hours}</li>` : ""}
    ${alt.links.map((l) => html`<li><a href="${l.url}" target="_blank" rel="noopener noreferrer">${l.label}</a></li>`)}
  </ul>
</section>`;
}

/** A form the library has turned off: say so, and where else to go, in the patron's language. */
export function formTurnedOffPage(found: FormWithLibrary, language: Language): Html {
  const { library } = found;
  const local = localizeForm(found, language);
  const { t } = local;
  const why = t(library.archivedAt !== null ? "form.archived" : "form.turnedOff", { library: library.name });
  return page({
    title: t("form.unavailableTitle", { title: local.title }),
    lang: language,
    dir: local.dir,
    body: html`${brandBar(found)}<main class="narrow"><h1>${local.title}</h1><p>${why}</p>${alternativesBlock(alternativesIn(library, language, local.unavailableMessage), t)}</main>`,
  });
}

/** No such form: said in the language asked for, else English. */
export function formMissingPage(language: Language = "en"): Html {
  const t = translator(language);
  return page({
    title: `${t("form.missingTitle")} — Refdesk`,
    lang: language,
    dir: directionOf(language),
    body: html`<main class="narrow"><h1>${t("form.missingTitle")}</h1><p>${t("form.missingText")}</p></main>`,
  });
}

/** A post refused before its form could be shown again (e.g. far too large), in the browser's language. */
export function requestRefusedPage(message: string, language: Language = "en"): Html {
  const t = translator(language);
  return page({
    title: `${t("form.errorTitle", { title: t("form.notSent") })} — Refdesk`,
    lang: language,
    dir: directionOf(language),
    body: html`<main class="narrow"><h1>${t("form.notSent")}</h1><div class="error-summary" role="alert"><p>${message}</p></div>
<p>${t("form.notSentHelp")}</p></main>`,
  });
}
