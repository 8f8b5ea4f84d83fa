/** Answer shapes and parameters many routes share, each described once. */
import { AUDIT_PAGE_SIZE } from "../../admin/audit";
import { slugSchema } from "../../shared/api";

export const SESSION_VIEW =
  "`session` is a session view as in the `status` frame (`id, status, libraryId, libraryName, question, patronName, librarian, createdAt, acceptedAt, endedAt, transfer`)";
export const QUESTION_DETAIL =
  "`QuestionDetail` (src/shared/questions-api.ts): `{question, patron, session, events, notes, mails, viewer, colleagues, codeChoices}` — `question` a summary (`id, status, source, question, patronName, patronEmail, libraryId, libraryName, createdAt, updatedAt, assignee, chattedWith, resolution, descriptiveCodes, hidden, excludeFromStats, failedMails`), `session` the chat with its transcript (or null for an e-mailed question), `viewer` what this librarian may do now (`home, actions, canAnswer, answerBlocked, canEditCodes`)";
export const ACCOUNT = "an account `{id, libraryId, email, displayName, role, status: \"active\"|\"invited\"|\"disabled\", disabledAt, createdAt}`";
export const FORM_ROW =
  "a form `{id, libraryId, groupId, queueId, title, intro, fields, chatMethod, brandColor, logoUrl, enabled, createdAt, formUrl, embedCode}` (`embedCode` is the one-line Qwidget `<script>`)";
export const AUDIT_PAGE = `\`{entries: [{id, libraryId, groupId, actorId, actorName, action, targetType, targetId, before, after, createdAt}], nextBefore}\`, newest first, ${AUDIT_PAGE_SIZE} a page; \`nextBefore\` (or null on the last page) continues as \`?before=\``;
export const AUDIT_QUERY = { before: "An entry id: only older entries. Anything but a positive whole number is ignored (the first page)." };
export const INVITATION = "`{id, groupId, groupName, libraryId, libraryName, createdAt}`";
export const SHIFT = "`{id, libraryId, libraryName, timeZone, weekday, startMinute, endMinute, endsNextDay, label, start, end}`";
export const COVERAGE = "`{groupId, now, timeZone, current, next}`, `current`/`next` being `{libraryId, libraryName, startsAt, endsAt, rule, local}` or null";
export const FEEDBACK_ENTRY = "`{id, sessionId, question, homeLibraryName, answeringLibraryName, answeringLibrarianName, rating, comment, createdAt}`";
export const CODES_LIST = "`{codes: [{code, label, active, position}]}`, the library's whole list in order";
export const SIGNED_IN_LIBRARIAN = "`{librarian: {id, libraryId, libraryName, displayName, email, role}}`";

/** Path parameters, described once. */
export const PARAMS = {
  sessionId: { id: { description: "The chat session's id (a UUID, as `POST /api/chats` answered it)." } },
  questionId: { id: { description: "The question's id." } },
  libraryId: { libraryId: { description: "The library's id." } },
  groupId: { groupId: { description: "The group's id." } },
  formId: { formId: { description: "The form's id." } },
  account: { libraryId: { description: "The library's id." }, librarianId: { description: "The account's id." } },
  /** Cooperation routes check these ids against the id pattern first: anything else is not found. */
  coopGroupId: { groupId: { description: "The group's id.", schema: slugSchema } },
  coopLibraryId: { libraryId: { description: "The library's id.", schema: slugSchema } },
};
