/**
 * Refdesk's Worker: the Hono app (pages and APIs), the mail queue consumer,
 * and the Durable Object classes it hosts.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { loadLibrarian } from "./auth/middleware";
import type { AppEnv } from "./http/app-env";
import { consumeDeadLetters, consumeMailBatch, requeueStalePendingMail, type MailJob } from "./mail/outbox";
import { authRoutes } from "./routes/auth";
import { cannedMessageRoutes } from "./routes/canned-messages";
import { consultRoutes } from "./routes/chat-consults";
import { monitorChatRoutes } from "./routes/chat-monitor";
import { chatRoutes } from "./routes/chats";
import { chatFileRoutes, fileDownloadRoutes } from "./routes/chat-files";
import { descriptiveCodeRoutes } from "./routes/descriptive-codes";
import { embedRoutes, qwidgetScriptRoutes } from "./routes/embed";
import { pageRoutes } from "./routes/pages";
import { meRoutes } from "./routes/me";
import { queueRoutes } from "./routes/queues";
import { questionPageRoutes } from "./routes/question-pages";
import { questionRoutes } from "./routes/questions";
import { accountPageRoutes } from "./routes/account-pages";
import { adminPageRoutes } from "./routes/admin-pages";
import { adminRoutes } from "./routes/admin/index";
import { openApiRoutes } from "./routes/openapi/document";
import { publicFormRoutes } from "./routes/forms-public";
import { runPrivacyScrub } from "./privacy/scrub";
import { runScheduledExports } from "./transfer/scheduled-export";
import { catchUpPresence } from "./stats/presence-catch-up";
import { coopAdminPageRoutes } from "./routes/coop-admin-pages";
import { demoPageRoutes } from "./routes/demo-pages";
import { feedbackRoutes } from "./routes/feedback";
import { healthRoutes } from "./routes/health";
import { coverageRoutes, groupRoutes } from "./routes/groups";
import { libraryRoutes } from "./routes/libraries";
import { policyRoutes } from "./routes/policies";
import { policyPageRoutes } from "./routes/policy-pages";
import { statsPageRoutes } from "./routes/stats-pages";
import { statsRoutes } from "./routes/stats";
import { viewportRoutes } from "./routes/viewport";
import { ratingPageRoutes } from "./routes/rating-pages";
import { errorResponse, notFoundResponse } from "./pages/error-page";
import { cobrowseViewSources, viewportFrameSources } from "./viewport/frame-sources";

export { ChatSession } from "../durable-objects/ChatSession";
export { RequestQueue } from "../durable-objects/RequestQueue";

export const app = new Hono<AppEnv>();

// Before the header middleware: form data and logos are read by other sites (see the module).
app.route("/", publicFormRoutes);
// The Qwidget's scripts answer before any middleware: they are for other sites' pages.
app.route("/", qwidgetScriptRoutes);
// Demo and test pages (development only) carry the headers public/_headers gives them, some of them unusual on purpose.
app.route("/", demoPageRoutes);
// Chat files carry headers of their own (a sandbox, no sniffing), never the pages' policy.
app.route("/", fileDownloadRoutes);

/** WebSocket upgrade responses come from a Durable Object with immutable headers; header middleware skips them. */
function exceptUpgrades(mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.header("upgrade")?.toLowerCase() === "websocket" ? next() : mw(c, next));
}

app.use(
  exceptUpgrades(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'", cobrowseViewSources],
      imgSrc: ["'self'", "data:", cobrowseViewSources],
      fontSrc: ["'self'", cobrowseViewSources],
      connectSrc: ["'self'", "ws:", "wss:"],
      // Chat with viewport: the patron's chat page shows pushed pages of any web site beside the chat.
      frameSrc: ["'self'", viewportFrameSources],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    referrerPolicy: "strict-origin-when-cross-origin",
  })),
);
// Form posts that carry the sign-in cookie must come from our own pages.
app.use(csrf());
// Patron endpoints are reachable from library sites that embed the Qwidget. No
// credentials cross origins: patrons prove themselves with their chat token,
// and starting a chat checks the library's allowed origins itself.
// Uptime monitors: nothing here reads a cookie.
app.route("/", healthRoutes);
app.use("/api/chats/*", exceptUpgrades(cors({ origin: "*", allowMethods: ["GET", "POST"], allowHeaders: ["Content-Type", "Authorization"], maxAge: 600 })));
app.use("/api/embed/*", cors({ origin: "*", allowMethods: ["GET"], maxAge: 600 }));
app.use(loadLibrarian);

app.route("/api/auth", authRoutes);
app.route("/api/chats", chatRoutes);
app.route("/api/chats", monitorChatRoutes);
app.route("/api/chats", consultRoutes);
app.route("/api/chats", chatFileRoutes);
app.route("/api/canned-messages", cannedMessageRoutes);
app.route("/api/embed", embedRoutes);
app.route("/api/queues", queueRoutes);
app.route("/api/me", meRoutes);
app.route("/api/questions", questionRoutes);
app.route("/api/descriptive-codes", descriptiveCodeRoutes);
app.route("/", questionPageRoutes);
app.route("/api/admin", adminRoutes);
app.route("/", accountPageRoutes);
app.route("/", adminPageRoutes);
app.route("/", pageRoutes);
// Cooperative reference: policy pages, groups, coverage schedules, partner libraries and feedback.
app.route("/api/policies", policyRoutes);
app.route("/api/groups", groupRoutes);
app.route("/api/coverage", coverageRoutes);
app.route("/api/libraries", libraryRoutes);
app.route("/api/feedback", feedbackRoutes);
app.route("/", policyPageRoutes);
app.route("/", coopAdminPageRoutes);
app.route("/api/chats", viewportRoutes);
// Statistics and planning: the /stats pages and their JSON and CSV.
app.route("/api/stats", statsRoutes);
app.route("/", statsPageRoutes);
// The one-use rating link of a transcript mail.
app.route("/", ratingPageRoutes);
// The protocol as OpenAPI 3.1, gathered from the documentation on every route of the app.
app.route("/api/openapi.json", openApiRoutes(app));

// A browser asking for a page gets a page (src/pages/error-page.ts); the API answers JSON.
app.notFound(notFoundResponse);
app.onError(errorResponse);

export default {
  fetch: app.fetch,
  /** The mail queue, and its dead-letter queue (named `…-dead` in every environment of wrangler.toml). */
  async queue(batch: MessageBatch<MailJob>, env: Env) {
    if (batch.queue.endsWith("-dead")) await consumeDeadLetters(batch, env);
    else await consumeMailBatch(batch, env);
  },
  /**
   * The daily cron (wrangler.toml): the privacy scrub, measured against the
   * scheduled time; a sweep for mail that never reached the queue; coverage
   * statistics brought up to date; then, when ARCHIVE_EXPORTS is on, the
   * archives to R2 — after the scrub, so they hold only what the libraries still have.
   */
  async scheduled(controller: ScheduledController, env: Env) {
    await runPrivacyScrub(env, controller.scheduledTime);
    const requeued = await requeueStalePendingMail(env, controller.scheduledTime);
    if (requeued > 0) console.warn(JSON.stringify({ event: "stale_mail_requeued", count: requeued }));
    // Coverage statistics keep up with monitoring even when nobody looks at them.
    await catchUpPresence(env.DB, controller.scheduledTime, 40).catch((error: unknown) => console.error(JSON.stringify({ event: "presence_catch_up_failed", error: String(error) })));
    await runScheduledExports(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, MailJob>;
