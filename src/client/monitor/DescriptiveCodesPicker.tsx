/**
 * Choosing up to MAX_DESCRIPTIVE_CODES descriptive codes: the chosen ones as
 * removable chips, search as you type (Enter picks the first match), and the
 * matching codes as checkboxes. Shared by the end-of-chat dialog and the Ask a
 * Librarian module's codes panel.
 */
import { useState } from "preact/hooks";
import { MAX_DESCRIPTIVE_CODES } from "../../shared/codes";
import { chooseFirstMatch, filterCodes, toggleCode } from "./end-rules";

export interface PickableCode {
  code: string;
  label: string;
  /** False for a code the library has since hidden (still on a filed question). */
  active?: boolean;
}

export interface DescriptiveCodesPickerProps {
  /** Makes the element ids unique on the page. */
  idBase: string;
  codes: PickableCode[];
  selected: string[];
  onChange: (selected: string[]) => void;
  /** The library requires at least one code (its setting). */
  required?: boolean;
}

export function DescriptiveCodesPicker({ idBase, codes, selected, onChange, required }: DescriptiveCodesPickerProps) {
  const [query, setQuery] = useState("");
  const shown = filterCodes(codes, query);
  const labelOf = (code: string) => codes.find((c) => c.code === code)?.label ?? code;
  const atLimit = selected.length >= MAX_DESCRIPTIVE_CODES;
  const hidden = (c: PickableCode) => (c.active === false ? " (hidden code)" : "");
  return (
    <fieldset class="codes-picker">
      <legend>
        Descriptive codes{required ? " (required: at least 1)" : ""} ({selected.length} of {MAX_DESCRIPTIVE_CODES} chosen)
      </legend>
      {selected.length ? (
        <ul class="chosen code-chips" aria-label="Chosen codes">
          {selected.map((c) => (
            <li key={c}>
              {labelOf(c)}{" "}
              <button type="button" class="small" aria-label={`Remove ${labelOf(c)}`} onClick={() => onChange(toggleCode(selected, c))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label for={`code-search-${idBase}`}>Search codes</label>
      <input
        id={`code-search-${idBase}`}
        type="search"
        value={query}
        autoComplete="off"
        aria-describedby={`code-search-hint-${idBase}`}
        aria-controls={`code-options-${idBase}`}
        onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          // Enter picks the first match instead of submitting the whole form.
          e.preventDefault();
          onChange(chooseFirstMatch(selected, codes, query));
          setQuery("");
        }}
      />
      <p id={`code-search-hint-${idBase}`} class="help">
        Type to filter; Enter chooses the first match. {atLimit ? `You have chosen the most (${MAX_DESCRIPTIVE_CODES}).` : ""}
      </p>
      <div id={`code-options-${idBase}`} class="code-options" role="group" aria-label="Matching codes">
        {shown.map((c) => {
          const checked = selected.includes(c.code);
          return (
            <div class="checkbox" key={c.code}>
              <input type="checkbox" id={`code-${idBase}-${c.code}`} checked={checked} disabled={!checked && atLimit} onChange={() => onChange(toggleCode(selected, c.code))} />
              <label for={`code-${idBase}-${c.code}`}>
                {c.label}
                {hidden(c)}
              </label>
            </div>
          );
        })}
        {shown.length === 0 && codes.length > 0 ? <p>No code matches “{query}”.</p> : null}
      </div>
    </fieldset>
  );
}
