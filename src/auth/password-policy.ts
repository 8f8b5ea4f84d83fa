/**
 * What makes a new password acceptable (NIST SP 800-63B in spirit): long
 * enough, and not guessable — not on the list of common passwords (also with
 * digits and symbols around it stripped), not one character or a short
 * pattern repeated, not a keyboard or alphabet run, not the person's e-mail.
 */
import { PASSWORD_RULES } from "../shared/admin-limits";
import { COMMON_PASSWORDS_TEXT } from "./common-passwords";

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split("\n"));
  return common;
}

const RUNS = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm"];

/** True when `s` is a stretch of a keyboard row or the alphabet or digits, forwards or backwards. */
function isRun(s: string): boolean {
  if (s.length < 4) return false;
  return RUNS.some((run) => {
    const twice = run + run;
    return twice.includes(s) || [...twice].reverse().join("").includes(s);
  });
}

/** True when `s` is a shorter piece written over and over ("abcabcabcabc"). */
function isRepeated(s: string): boolean {
  for (let unit = 1; unit <= s.length / 2; unit++) {
    if (s.length % unit === 0 && s.slice(0, unit).repeat(s.length / unit) === s) return true;
  }
  return false;
}

/** Why `password` is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length < PASSWORD_RULES.minChars) return `Use at least ${PASSWORD_RULES.minChars} characters`;
  if (password.length > PASSWORD_RULES.maxChars) return `Use at most ${PASSWORD_RULES.maxChars} characters`;
  const lower = password.toLowerCase();
  const list = commonPasswords();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  const guessable = "This password is too easy to guess: it is a common password or close to one. Try a few unrelated words together";
  if (list.has(lower) || (core.length >= 4 && list.has(core))) return guessable;
  if (isRepeated(lower) || isRun(lower) || (core.length >= 4 && (isRepeated(core) || isRun(core)))) return guessable;
  if (/^\d+$/.test(lower)) return "Use more than digits";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return "Do not use your e-mail address in your password";
  return null;
}
