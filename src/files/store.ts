/**
 * Chat files in R2 (the FILES binding): one object per file, keyed by its chat
 * so a chat's files can be found and deleted together (the privacy scrub),
 * with the type its bytes are and its shown name beside it.
 */
import type { FileType } from "../shared/file-types";

const chatPrefix = (sessionId: string) => `chats/${sessionId}/`;
const fileKey = (sessionId: string, fileId: string) => `${chatPrefix(sessionId)}${fileId}`;

export interface StoredFile {
  body: ReadableStream;
  type: FileType;
  name: string;
  bytes: number;
}

export async function putChatFile(env: Pick<Env, "FILES">, sessionId: string, fileId: string, bytes: Uint8Array<ArrayBuffer>, type: FileType, name: string): Promise<void> {
  await env.FILES.put(fileKey(sessionId, fileId), bytes, { httpMetadata: { contentType: type }, customMetadata: { name } });
}

export async function getChatFile(env: Pick<Env, "FILES">, sessionId: string, fileId: string): Promise<StoredFile | null> {
  const object = await env.FILES.get(fileKey(sessionId, fileId));
  if (!object) return null;
  return { body: object.body, type: object.httpMetadata?.contentType as FileType, name: object.customMetadata?.name ?? fileId, bytes: object.size };
}

export async function chatFileExists(env: Pick<Env, "FILES">, sessionId: string, fileId: string): Promise<boolean> {
  return (await env.FILES.head(fileKey(sessionId, fileId))) !== null;
}

export async function deleteChatFile(env: Pick<Env, "FILES">, sessionId: string, fileId: string): Promise<void> {
  await env.FILES.delete(fileKey(sessionId, fileId));
}

/** Deletes every file of a chat (a page of keys at a time); throws when R2 fails, so the caller can try again later. */
export async function deleteChatFiles(env: Pick<Env, "FILES">, sessionId: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const listed = await env.FILES.list({ prefix: chatPrefix(sessionId), limit: 1000 });
    if (listed.objects.length === 0) return deleted;
    await env.FILES.delete(listed.objects.map((o) => o.key));
    deleted += listed.objects.length;
    if (!listed.truncated) return deleted;
  }
}
