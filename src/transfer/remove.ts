/**
 * Removing everything an archive brings for one owner, in the order opposite
 * to importing it: what undoes an import that failed half-way. Only ever run
 * for an owner that did not exist before the import (the import checks that),
 * so everything it finds under the owner's id came from that import. (A
 * library still in a group, or named by a group's form or schedule, cannot be
 * removed: the group's rows refer to it.)
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  accountTokens,
  auditLog,
  authSessions,
  cannedMessages,
  chatSessions,
  coopFeedback,
  coverageShifts,
  descriptiveCodes,
  formLogos,
  forms,
  groupInvitations,
  groupMembers,
  groupPages,
  groups,
  librarians,
  libraries,
  mailOutbox,
  policyPages,
  questionEvents,
  questions,
  statChatCodes,
  statChats,
  surveyAnswers,
} from "../db/schema";
import { reindexStatements } from "../policies/search-index";
import type { ArchiveKind } from "./sections";

export async function removeArchiveOwner(db: Database, kind: ArchiveKind, id: string): Promise<void> {
  if (kind === "library") {
    const ownForms = and(eq(forms.libraryId, id), isNull(forms.groupId));
    const ownAccounts = db.select({ id: librarians.id }).from(librarians).where(eq(librarians.libraryId, id));
    await db.batch([
      db.delete(questionEvents).where(inArray(questionEvents.questionId, db.select({ id: questions.id }).from(questions).where(eq(questions.libraryId, id)))),
      db.delete(mailOutbox).where(eq(mailOutbox.libraryId, id)),
      db.delete(surveyAnswers).where(eq(surveyAnswers.libraryId, id)),
      db.delete(statChatCodes).where(inArray(statChatCodes.sessionId, db.select({ id: statChats.sessionId }).from(statChats).where(eq(statChats.libraryId, id)))),
      db.delete(statChats).where(eq(statChats.libraryId, id)),
      db.delete(questions).where(eq(questions.libraryId, id)),
      db.delete(chatSessions).where(eq(chatSessions.libraryId, id)),
      db.delete(coopFeedback).where(eq(coopFeedback.libraryId, id)),
      // The policy page's search rows: an empty reindex deletes them.
      ...reindexStatements(db, id, []),
      db.delete(policyPages).where(eq(policyPages.libraryId, id)),
      db.delete(cannedMessages).where(eq(cannedMessages.libraryId, id)),
      db.delete(descriptiveCodes).where(eq(descriptiveCodes.libraryId, id)),
      db.delete(formLogos).where(inArray(formLogos.formId, db.select({ id: forms.id }).from(forms).where(ownForms))),
      db.delete(forms).where(ownForms),
      db.delete(auditLog).where(and(eq(auditLog.libraryId, id), isNull(auditLog.groupId))),
      // Sign-ins and one-time links of its accounts (an archive brings none; they go with the accounts).
      db.delete(authSessions).where(inArray(authSessions.librarianId, ownAccounts)),
      db.delete(accountTokens).where(inArray(accountTokens.librarianId, ownAccounts)),
      db.delete(librarians).where(eq(librarians.libraryId, id)),
      db.delete(libraries).where(eq(libraries.id, id)),
    ]);
    return;
  }
  await db.batch([
    db.delete(auditLog).where(eq(auditLog.groupId, id)),
    db.delete(groupInvitations).where(eq(groupInvitations.groupId, id)),
    db.delete(coverageShifts).where(eq(coverageShifts.groupId, id)),
    db.delete(cannedMessages).where(eq(cannedMessages.groupId, id)),
    db.delete(formLogos).where(inArray(formLogos.formId, db.select({ id: forms.id }).from(forms).where(eq(forms.groupId, id)))),
    db.delete(forms).where(eq(forms.groupId, id)),
    db.delete(groupMembers).where(eq(groupMembers.groupId, id)),
    db.delete(groupPages).where(eq(groupPages.groupId, id)),
    db.delete(groups).where(eq(groups.id, id)),
  ]);
}
