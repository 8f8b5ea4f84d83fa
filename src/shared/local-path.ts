/**
 * Where a page may send a librarian back to after signing in (`next`): a path
 * on this site and nothing else. A second leading slash or a backslash would
 * make browsers read the rest as another host (`//evil.example`,
 * `/\evil.example`), and a scheme would leave the site (`https:`,
 * `javascript:`); letters, digits, `/`, `_` and `-` after one leading slash
 * cannot. The value is checked as received (already decoded once), so an
 * encoded slash or backslash stays a `%` and is refused too.
 */
export const LOCAL_PATH = /^\/(?!\/)[A-Za-z0-9/_-]*$/;

/** `value` when it is a local path, else `fallback`. */
export function localPathOr(value: unknown, fallback: string): string {
  return typeof value === "string" && LOCAL_PATH.test(value) ? value : fallback;
}
