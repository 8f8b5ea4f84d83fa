/**
 * File messages in a transcript mail: each carries a signed link to its file
 * (./links.ts), which works for MAIL_LINK_DAYS or until the chat's retention
 * ends, whichever is first. Without a public origin (a local installation)
 * or the signing secret there is no link to give, and the file is named only.
 */
import type { ChatMessage } from "../shared/protocol";
import { mailLinkExpiry, signedFilePath } from "./links";

export async function withFileLinks(
  env: Pick<Env, "PUBLIC_ORIGIN" | "FILE_LINK_SECRET">,
  chat: { sessionId: string; createdAt: number; retentionDays: number },
  messages: ChatMessage[],
  now: number,
): Promise<ChatMessage[]> {
  const origin = (env.PUBLIC_ORIGIN as string).replace(/\/+$/, "");
  if (!origin || !messages.some((m) => m.kind === "file" && m.file)) return messages;
  // Without the secret no link can be signed: the mail names the files, and filing goes on (it must not wait for a setting).
  if (!env.FILE_LINK_SECRET) {
    console.error(JSON.stringify({ event: "file_links_unsigned", sessionId: chat.sessionId, error: "FILE_LINK_SECRET is not set" }));
    return messages;
  }
  const expires = mailLinkExpiry(now, chat.createdAt, chat.retentionDays);
  return Promise.all(
    messages.map(async (m) => (m.kind === "file" && m.file ? { ...m, body: `${m.body}: ${origin}${await signedFilePath(env, chat.sessionId, m.file.id, expires)}` } : m)),
  );
}
