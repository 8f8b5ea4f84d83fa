/**
 * Structured logs from the objects: `{ event, ...ids, error }`, one line of
 * JSON each. Database errors carry the failed statement's parameters (names,
 * addresses): only the underlying cause is logged, never the parameters.
 */
export function logEvent(level: "error" | "warn" | "log", event: string, fields: Record<string, string | number | boolean | null>, error?: unknown): void {
  console[level](JSON.stringify({ event, ...fields, ...(error === undefined ? {} : { error: describeError(error) }) }));
}

/** A failure in words that hold no personal data: the root cause's message, without a failed query's parameters. */
export function describeError(error: unknown): string {
  let root = error;
  while (root instanceof Error && root.cause !== undefined) root = root.cause;
  const text = root instanceof Error ? `${root.name}: ${root.message}` : String(root);
  return text.split("\nparams:")[0]!.slice(0, 300);
}

/** A `.catch` handler that logs and swallows: for effects whose failure must not fail a decision already made. */
export function logFailure(event: string, sessionId: string) {
  return (error: unknown) => logEvent("error", event, { sessionId }, error);
}
