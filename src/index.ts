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
import { notFound, renderError } from "./http/errors";
import { consumeMailBatch, type MailJob } from "./mail/outbox";
import { authRoutes } from "./routes/auth";
import { chatRoutes } from "./routes/chats";
import { embedRoutes, qwidgetScriptRoutes } from "./routes/embed";
import { pageRoutes } from "./routes/pages";
import { meRoutes } from "./routes/me";
import { queueRoutes } from "./routes/queues";

export { ChatSession } from "../durable-objects/ChatSession";
export { RequestQueue } from "../durable-objects/RequestQueue";

export const app = new Hono<AppEnv>();

// The Qwidget's scripts answer before any middleware: they are for other sites' pages.
app.route("/", qwidgetScriptRoutes);

/** WebSocket upgrade responses come from a Durable Object with immutable headers; header middleware skips them. */
function exceptUpgrades(mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.header("upgrade")?.toLowerCase() === "websocket" ? next() : mw(c, next));
}

app.use(
  exceptUpgrades(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'", "ws:", "wss:"],
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
app.use("/api/chats/*", exceptUpgrades(cors({ origin: "*", allowMethods: ["GET", "POST"], allowHeaders: ["Content-Type", "Authorization"], maxAge: 600 })));
app.use("/api/embed/*", cors({ origin: "*", allowMethods: ["GET"], maxAge: 600 }));
app.use(loadLibrarian);

app.route("/api/auth", authRoutes);
app.route("/api/chats", chatRoutes);
app.route("/api/embed", embedRoutes);
app.route("/api/queues", queueRoutes);
app.route("/api/me", meRoutes);
app.route("/", pageRoutes);

app.notFound((c) => renderError(notFound("Page"), c));
app.onError(renderError);

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<MailJob>, env: Env) {
    await consumeMailBatch(batch, env);
  },
} satisfies ExportedHandler<Env, MailJob>;
