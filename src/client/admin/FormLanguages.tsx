/**
 * The form builder's languages: which languages the form offers patrons, its
 * default (the form's own texts above are in it), and the form's texts in
 * each other language — title, introduction, not-available message, each
 * field's label and help, a choice field's options. A text left empty shows
 * in the default language (each box says which text that is), so no patron
 * ever sees an empty label or option.
 */
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../../i18n/languages";
import type { FormField } from "../../shared/form-layout";
import type { FormTexts, FormTranslations } from "../../shared/form-translations";
import { ChoiceField, FieldError, inputChecked, inputValue, type FieldErrors } from "./ui";

export interface LanguageDraft {
  languages: Language[];
  defaultLanguage: Language;
  translations: FormTranslations;
}

export interface FormLanguagesProps extends LanguageDraft {
  /** The default language's texts, shown as what an empty box falls back to. */
  title: string;
  intro: string;
  fields: FormField[];
  errors: FieldErrors;
  onChange: (patch: Partial<LanguageDraft>) => void;
}

function TextBox(props: { id: string; label: string; value: string | undefined; fallback: string; long?: boolean; onInput: (v: string) => void }) {
  const hint = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <p class="help" id={hint}>
        Left empty: “{props.fallback || "(none)"}”
      </p>
      {props.long ? (
        <textarea id={props.id} rows={2} value={props.value ?? ""} aria-describedby={hint} onInput={(e) => props.onInput(inputValue(e))} />
      ) : (
        <input id={props.id} type="text" value={props.value ?? ""} aria-describedby={hint} onInput={(e) => props.onInput(inputValue(e))} />
      )}
    </div>
  );
}

export function FormLanguages(props: FormLanguagesProps) {
  const { languages, defaultLanguage, translations } = props;
  const textsOf = (l: Language): FormTexts => translations[l] ?? {};
  const setTexts = (l: Language, patch: Partial<FormTexts>) => props.onChange({ translations: { ...translations, [l]: { ...textsOf(l), ...patch } } });
  const setFieldText = (l: Language, id: string, patch: { label?: string; help?: string; options?: string[] }) =>
    setTexts(l, { fields: { ...textsOf(l).fields, [id]: { ...textsOf(l).fields?.[id], ...patch } } });
  const toggle = (l: Language, on: boolean) => {
    const next = on ? LANGUAGES.filter((x) => x === l || languages.includes(x)) : languages.filter((x) => x !== l);
    if (next.length === 0) return;
    props.onChange({ languages: next, defaultLanguage: next.includes(defaultLanguage) ? defaultLanguage : next[0]! });
  };
  return (
    <fieldset class="form-languages" aria-describedby={props.errors.languages ? "fld-languages-error" : undefined}>
      <legend>Languages</legend>
      <FieldError path="languages" errors={props.errors} />
      <p class="help">Patrons see the form, the chat and the mails in the first of their browser's languages that the form offers, else in the default.</p>
      {LANGUAGES.map((l) => (
        <div class="field checkbox" key={l}>
          <input type="checkbox" id={`lang-${l}`} checked={languages.includes(l)} disabled={languages.length === 1 && languages.includes(l)} onChange={(e) => toggle(l, inputChecked(e))} />
          <label for={`lang-${l}`} lang={l}>
            {LANGUAGE_NAMES[l]}
          </label>
        </div>
      ))}
      <ChoiceField
        path="defaultLanguage"
        label="Default language (the title, introduction and fields above are in it)"
        choices={languages.map((l) => ({ id: l, name: LANGUAGE_NAMES[l] }))}
        value={defaultLanguage}
        onChange={(id) => props.onChange({ defaultLanguage: id as Language })}
        errors={props.errors}
      />
      {languages
        .filter((l) => l !== defaultLanguage)
        .map((l) => (
          <details key={l} class="form-translation">
            <summary>Texts in {LANGUAGE_NAMES[l]}</summary>
            <div class="stack" lang={l}>
              <TextBox id={`tr-${l}-title`} label="Title" value={textsOf(l).title} fallback={props.title} onInput={(title) => setTexts(l, { title })} />
              <TextBox id={`tr-${l}-intro`} label="Introduction" value={textsOf(l).intro} fallback={props.intro} long onInput={(intro) => setTexts(l, { intro })} />
              <TextBox
                id={`tr-${l}-unavailable`}
                label="Message when no librarian is available"
                value={textsOf(l).unavailableMessage}
                fallback="the library's message"
                long
                onInput={(unavailableMessage) => setTexts(l, { unavailableMessage })}
              />
              {props.fields.map((f) => (
                <div key={f.id} class="stack">
                  <TextBox id={`tr-${l}-${f.id}-label`} label={`“${f.label}”: label`} value={textsOf(l).fields?.[f.id]?.label} fallback={f.label} onInput={(label) => setFieldText(l, f.id, { label })} />
                  <TextBox id={`tr-${l}-${f.id}-help`} label={`“${f.label}”: help`} value={textsOf(l).fields?.[f.id]?.help} fallback={f.help ?? ""} onInput={(help) => setFieldText(l, f.id, { help })} />
                  {f.kind === "select" ? (
                    <TextBox
                      id={`tr-${l}-${f.id}-options`}
                      label={`“${f.label}”: choices, one per line, in the same order`}
                      value={textsOf(l).fields?.[f.id]?.options?.join("\n")}
                      fallback={(f.options ?? []).join(" / ")}
                      long
                      onInput={(text) => setFieldText(l, f.id, { options: text.split("\n").slice(0, f.options?.length ?? 0) })}
                    />
                  ) : null}
                </div>
              ))}
            </div>
          </details>
        ))}
    </fieldset>
  );
}
