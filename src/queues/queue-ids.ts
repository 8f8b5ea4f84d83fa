/** Queue identifiers: each library has one queue, each group (cooperative) one. */
export type QueueKind = "library" | "group";

export function libraryQueueId(libraryId: string): string {
  return `lib:${libraryId}`;
}

export function groupQueueId(groupId: string): string {
  return `group:${groupId}`;
}
