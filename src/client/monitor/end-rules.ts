/**
 * The end-of-session rules the dialog enforces before it sends anything (the
 * server enforces them again): a resolution code is required, at most
 * MAX_DESCRIPTIVE_CODES descriptive codes, each from the library's active list.
 */
import { MAX_DESCRIPTIVE_CODES, RESOLUTION_CODE_VALUES, type ResolutionCode } from "../../shared/codes";

export interface EndChoice {
  resolution: ResolutionCode | null;
  descriptiveCodes: string[];
}

export function endProblems(choice: EndChoice, activeCodes: ReadonlySet<string>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!choice.resolution || !RESOLUTION_CODE_VALUES.includes(choice.resolution)) {
    problems.push({ field: "resolution", message: "Choose a resolution code." });
  }
  if (choice.descriptiveCodes.length > MAX_DESCRIPTIVE_CODES) {
    problems.push({ field: "descriptiveCodes", message: `Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes.` });
  }
  const unknown = choice.descriptiveCodes.find((c) => !activeCodes.has(c));
  if (unknown) problems.push({ field: "descriptiveCodes", message: `"${unknown}" is not one of this library's codes.` });
  return problems;
}

/** Adds or removes a code, never going past the limit. */
export function toggleCode(selected: string[], code: string): string[] {
  if (selected.includes(code)) return selected.filter((c) => c !== code);
  if (selected.length >= MAX_DESCRIPTIVE_CODES) return selected;
  return [...selected, code];
}

/** Codes whose label or identifier contains every word typed, in list order. */
export function filterCodes<T extends { code: string; label: string }>(codes: T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return codes;
  return codes.filter((c) => {
    const hay = `${c.label} ${c.code}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * Enter in the search box: chooses the first matching code not yet chosen
 * (keyboard users need not tab through the list). Unchanged at the limit or
 * when nothing new matches.
 */
export function chooseFirstMatch<T extends { code: string; label: string }>(selected: string[], codes: T[], query: string): string[] {
  const next = filterCodes(codes, query).find((c) => !selected.includes(c.code));
  return next ? toggleCode(selected, next.code) : selected;
}
