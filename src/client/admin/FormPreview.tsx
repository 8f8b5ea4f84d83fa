/** The live preview of a chat request form: laid out as the hosted form will be, not a working form. */
import { brandColorProblem } from "../../shared/color";
import type { FormField } from "../../shared/forms";
import { formLayout } from "../../shared/form-layout";

export interface PreviewProps {
  title: string;
  intro: string;
  fields: FormField[];
  brandColor: string;
  logoUrl: string | null;
  libraryName: string;
}

function PreviewField({ f }: { f: FormField }) {
  const id = `pv-${f.id}`;
  const label = (
    <label for={id}>
      {f.label || "(no label)"}
      {f.required ? null : <span class="optional"> (optional)</span>}
    </label>
  );
  const help = f.help ? <p class="help">{f.help}</p> : null;
  return (
    <div class="field">
      {label}
      {help}
      {f.kind === "select" ? (
        <select id={id}>
          <option>Choose…</option>
          {(f.options ?? []).filter((o) => o.trim()).map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : f.kind === "textarea" ? (
        <textarea id={id} rows={f.id === "question" ? 4 : 3} />
      ) : (
        <input id={id} type={f.kind === "email" ? "email" : "text"} />
      )}
    </div>
  );
}

export function FormPreview(p: PreviewProps) {
  const brand = brandColorProblem(p.brandColor) ? "#1d4ed8" : p.brandColor;
  return (
    <section class="form-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <p class="help">What patrons will see. Not a working form.</p>
      <div class="preview-frame" style={{ "--brand": brand }}>
        <div class="brand-bar">{p.logoUrl ? <img class="brand-logo" src={p.logoUrl} alt={p.libraryName} height={40} /> : <p class="brand-name">{p.libraryName}</p>}</div>
        <div class="preview-body">
          <p class="preview-title" aria-hidden="true">
            {p.title || "(no title)"}
          </p>
          {p.intro ? <p class="intro">{p.intro}</p> : null}
          <fieldset disabled class="preview-fields">
            <legend class="visually-hidden">Preview of the form's fields</legend>
            {formLayout(p.fields).map((f) => (
              <PreviewField key={f.id} f={f} />
            ))}
            <button type="button" class="primary">
              Ask a librarian
            </button>
          </fieldset>
        </div>
      </div>
    </section>
  );
}
