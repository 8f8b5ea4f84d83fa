/**
 * The address and optional title of a link, with each field's error tied to it:
 * shared by "Send a link" and "Push a page".
 */
import { LIMITS } from "../../shared/limits";

export interface LinkFieldsProps {
  /** Element ids: `id("url")`, `id("title")`, `id("url-error")`, … */
  id: (name: string) => string;
  url: string;
  title: string;
  onUrl: (value: string) => void;
  onTitle: (value: string) => void;
  problem: { field?: string; message: string } | null;
  /** Shown after "Title", e.g. "(optional)". */
  titleHint: string;
  /** Another element describing the address (the dialog's help line). */
  urlHelpId?: string;
}

export function LinkFields({ id, url, title, onUrl, onTitle, problem, titleHint, urlHelpId }: LinkFieldsProps) {
  const errorOn = (field: "url" | "title") => (problem?.field === field ? problem.message : null);
  const describedBy = (field: "url" | "title", extra?: string) => [errorOn(field) !== null ? id(`${field}-error`) : "", extra ?? ""].filter(Boolean).join(" ") || undefined;
  const error = (field: "url" | "title") =>
    errorOn(field) !== null ? (
      <p id={id(`${field}-error`)} class="field-error">
        {errorOn(field)}
      </p>
    ) : null;
  return (
    <>
      <div class="field">
        <label for={id("url")}>Address</label>
        {error("url")}
        <input
          id={id("url")}
          type="url"
          inputMode="url"
          required
          maxLength={LIMITS.urlChars}
          placeholder="https://"
          value={url}
          aria-invalid={errorOn("url") !== null ? "true" : undefined}
          aria-describedby={describedBy("url", urlHelpId)}
          onInput={(e) => onUrl((e.target as HTMLInputElement).value)}
          autoFocus
        />
      </div>
      <div class="field">
        <label for={id("title")}>
          Title <span class="optional">{titleHint}</span>
        </label>
        {error("title")}
        <input
          id={id("title")}
          type="text"
          maxLength={LIMITS.linkTitleChars}
          value={title}
          aria-invalid={errorOn("title") !== null ? "true" : undefined}
          aria-describedby={describedBy("title")}
          onInput={(e) => onTitle((e.target as HTMLInputElement).value)}
        />
      </div>
    </>
  );
}
