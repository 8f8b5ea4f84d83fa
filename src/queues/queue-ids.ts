/** Queue identifiers: each library has one queue, each group (cooperative) one. */
export type QueueKind = "library" | "group";

export function libraryQueueId(libraryId: string): string {
  return `lib:${libraryId}`;
}

export function groupQueueId(groupId: string): string {
  return `group:${groupId}`;
}

export function parseQueueId(queueId: string): { kind: QueueKind; id: string } | null {
  const m = /^(lib|group):([a-z0-9][a-z0-9-]{0,62})$/.exec(queueId);
  if (!m) return null;
  return { kind: m[1] === "lib" ? "library" : "group", id: m[2]! };
}
