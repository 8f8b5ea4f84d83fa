/**
 * Brand colours: library input that ends up in CSS and must stay readable —
 * #rrggbb only, dark enough to carry white text (WCAG AA). Clients use it for
 * the live preview, so it imports nothing but the limits.
 */
import { MIN_BRAND_CONTRAST } from "./admin-limits";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** WCAG 2 relative luminance of a valid `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio between two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Why a brand colour is refused, or null when it is fine. */
export function brandColorProblem(value: string): string | null {
  if (!HEX_COLOR.test(value)) return "Give a colour as #rrggbb, e.g. #1d4ed8";
  const ratio = contrastRatio(value, "#ffffff");
  if (ratio < MIN_BRAND_CONTRAST) return `Too light: white text on it has contrast ${ratio.toFixed(1)}:1, at least ${MIN_BRAND_CONTRAST}:1 is needed`;
  return null;
}

/** A brand colour safe to put in a style attribute: `#rrggbb`, or the fallback. */
export function brandColor(value: string | null | undefined, fallback = "#1d4ed8"): string {
  return value && HEX_COLOR.test(value) ? value.toLowerCase() : fallback;
}

/**
 * Black or white, whichever reads better on `background`. One of the two always
 * reaches at least 4.58:1, so text on any brand colour meets WCAG AA.
 */
export function textColorOn(background: string): "#000000" | "#ffffff" {
  return contrastRatio(background, "#ffffff") >= contrastRatio(background, "#000000") ? "#ffffff" : "#000000";
}
