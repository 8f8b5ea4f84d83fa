/**
 * D1's own errors behind drizzle's. Drizzle wraps a failed query's error in
 * one whose message names the query and its parameters, keeping D1's as
 * `cause`; what we record, log and match on is D1's.
 */

/** The innermost error: D1's, when drizzle wrapped it. */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof Error && e.cause !== undefined) e = e.cause;
  return e;
}

/** The error as text, as D1 worded it. */
export function errorText(error: unknown): string {
  return String(rootCause(error));
}

/** Whether the error is a UNIQUE constraint failure (optionally on `target`, e.g. "librarians.email"). */
export function isUniqueViolation(error: unknown, target = ""): boolean {
  return errorText(error).includes(`UNIQUE constraint failed: ${target}`);
}
