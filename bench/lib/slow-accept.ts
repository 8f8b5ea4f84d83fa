/**
 * Fault injection for the accept-race proof, kept out of the product: a
 * ChatSession whose every accept first awaits a D1 write, *before* the claim
 * is read, so rival accepts all reach this await and resume in whatever order
 * D1 answers. Bench servers started with `slowAccept` export this class in
 * place of the product's (bench/lib/server.mjs); correctness must not depend
 * on it, since the product decides a claim without awaiting anything.
 */
import { ChatSession } from "../../src/index";
import type { ClaimResult, LibrarianRef } from "../../src/objects/contracts";

export class SlowAcceptChatSession extends ChatSession {
  override async claim(librarian: LibrarianRef, allowedQueueIds: string[]): Promise<ClaimResult> {
    const sessionId = (await this.describe())?.view.id ?? "";
    await this.env.DB.prepare("UPDATE chat_sessions SET status = status WHERE id = ?").bind(sessionId).run();
    return super.claim(librarian, allowedQueueIds);
  }
}
