/** Brand colours: #rrggbb only, dark enough to carry white text (WCAG AA). No imports: clients use it for the live preview. */
import { MIN_BRAND_CONTRAST } from "./admin-limits";

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

function channel(hex: string, offset: number): number {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG contrast ratio of white text on `hex` (a valid #rrggbb). */
export function contrastWithWhite(hex: string): number {
  const l = 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
  return 1.05 / (l + 0.05);
}

/** Why a brand colour is refused, or null when it is fine. */
export function brandColorProblem(value: string): string | null {
  if (!HEX_COLOR.test(value)) return "Give a colour as #rrggbb, e.g. #1d4ed8";
  const ratio = contrastWithWhite(value);
  if (ratio < MIN_BRAND_CONTRAST) return `Too light: white text on it has contrast ${ratio.toFixed(1)}:1, at least ${MIN_BRAND_CONTRAST}:1 is needed`;
  return null;
}
