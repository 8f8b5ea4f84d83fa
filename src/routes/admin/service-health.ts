/**
 * /api/admin/service/health and /api/admin/service/mail/* — the service
 * health page's data (mail waiting, sent, failed and dead-lettered; chats
 * whose filing is being retried; the last privacy scrub; the last errors; the
 * scheduled exports) and what a service administrator does about failed mail:
 * retry it or discard it. Both are audited in the mail's library.
 */
import { Hono, type Context } from "hono";
import { auditIfStatement } from "../../admin/audit";
import { authorize } from "../../admin/authorize";
import { database } from "../../db/client";
import { previousChangedOneRow } from "../../db/guarded-writes";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { parseBody } from "../../http/validate";
import { discardMail, retryMail, type MailActionRefusal } from "../../mail/outbox";
import { healthReport } from "../../ops/health";
import { mailActionSchema } from "../../shared/admin-api";
import { signedIn } from "../openapi/callers";
import { documented } from "../openapi/describe";
import { GROUPS } from "../openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, OTHER_SITE, refusal } from "../openapi/refusals";

export const serviceHealthRoutes = new Hono<AppEnv>();

const SERVICE_ADMIN = signedIn("A `service_admin`.", ["service_admin"]);
const NOT_SERVICE_ADMIN = refusal(403, "forbidden", "Not a service administrator.");

serviceHealthRoutes.get("/service/health", documented({
  group: GROUPS.service,
  summary: "The service's health",
  description:
    "The checks of `/healthz`; mail waiting, sent, failed, dead-lettered and discarded, with the failed and dead-lettered ones (kind, library, attempts, last error — never an address); chats whose filing is being retried; the last privacy scrub and what it did in each library; the last errors as structured events; the last scheduled exports.",
  who: SERVICE_ADMIN,
  answers: { 200: "`{checks, mail: {waiting, sent, failed, deadLettered, discarded, needingAttention}, filings, lastScrub, exports, errors}` (src/shared/service-views.ts `HealthReport`)." },
  refusals: [NOT_SIGNED_IN, NOT_SERVICE_ADMIN],
}), async (c) => {
  await authorize(c, "service.read", { service: true });
  c.header("Cache-Control", "no-store");
  return c.json(await healthReport(c.env));
});

const REFUSALS: Record<MailActionRefusal, ApiError> = {
  missing: new ApiError(404, "not_found", "There is no such mail.", "eventKey"),
  sent: new ApiError(409, "invalid_transition", "This mail has been sent already; a mail is never sent twice.", "eventKey"),
  in_flight: new ApiError(409, "invalid_transition", "This mail is waiting to be sent; only a failed mail can be retried or discarded.", "eventKey"),
  scrubbed: new ApiError(409, "invalid_transition", "This mail's recipient was removed past its library's retention period: there is nobody to send it to. Discard it instead.", "eventKey"),
};

async function actOnMail(c: Context<AppEnv>, action: "retry" | "discard") {
  const actor = await authorize(c, "service.manage", { service: true });
  const { eventKey } = await parseBody(c, mailActionSchema);
  const db = database(c.env.DB);
  const status = action === "retry" ? "pending" : "discarded";
  // The audit entry rides in the change's batch, written only when the change was.
  const audit = (libraryId: string) => [
    auditIfStatement(
      db,
      actor,
      { libraryId, action: action === "retry" ? "mail.retried" : "mail.discarded", targetType: "mail", targetId: eventKey, before: { status: "failed" }, after: { status } },
      Date.now(),
      previousChangedOneRow,
    ),
  ];
  const result = action === "retry" ? await retryMail(c.env, eventKey, audit) : await discardMail(c.env, eventKey, audit);
  if (!result.ok) throw REFUSALS[result.refusal];
  return c.json({ eventKey, status });
}

serviceHealthRoutes.post("/service/mail/retry", documented({
  group: GROUPS.service,
  summary: "Retry a failed mail",
  description: "Sends a failed or dead-lettered mail again: its attempts start over and it goes back on the mail queue. A sent mail is never sent twice.",
  who: SERVICE_ADMIN,
  body: mailActionSchema,
  answers: { 200: "`{eventKey, status: \"pending\"}`." },
  refusals: [
    OTHER_SITE,
    NOT_SIGNED_IN,
    NOT_SERVICE_ADMIN,
    BAD_BODY,
    refusal(404, "not_found", "No such mail.", "eventKey"),
    refusal(409, "invalid_transition", "The mail was sent, is waiting to be sent, or its recipient was scrubbed past retention.", "eventKey"),
  ],
}), (c) => actOnMail(c, "retry"));

serviceHealthRoutes.post("/service/mail/discard", documented({
  group: GROUPS.service,
  summary: "Discard a failed mail",
  description: "Gives up on a failed or dead-lettered mail: it is never sent and no longer listed as needing attention (its library still sees it failed). Discarding twice changes nothing.",
  who: SERVICE_ADMIN,
  body: mailActionSchema,
  answers: { 200: "`{eventKey, status: \"discarded\"}`." },
  refusals: [OTHER_SITE, NOT_SIGNED_IN, NOT_SERVICE_ADMIN, BAD_BODY, refusal(404, "not_found", "No such mail.", "eventKey"), refusal(409, "invalid_transition", "The mail was sent, or is waiting to be sent.", "eventKey")],
}), (c) => actOnMail(c, "discard"));
