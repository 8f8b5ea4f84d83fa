/**
 * /api/feedback — quality feedback between cooperative libraries. A patron's
 * home library leaves feedback about a session a partner answered; the
 * answering librarian reads feedback about their own sessions.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import { feedbackAboutMe, feedbackGiven, leaveFeedback } from "../coop/feedback";
import type { AppEnv } from "../http/app-env";
import { badRequest } from "../http/errors";
import { parseBody } from "../http/validate";
import { feedbackSchema } from "../shared/coop-api";

export const feedbackRoutes = new Hono<AppEnv>();

feedbackRoutes.post("/", async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, feedbackSchema);
  return c.json({ feedback: await leaveFeedback(c.env.DB, librarian, body) }, 201);
});

/** ?about=me (default): feedback about my sessions; ?about=partners: what my library said about its partners. */
feedbackRoutes.get("/", async (c) => {
  const librarian = requireLibrarian(c);
  const about = c.req.query("about") ?? "me";
  if (about === "me") return c.json({ feedback: await feedbackAboutMe(c.env.DB, librarian) });
  if (about === "partners") return c.json({ feedback: await feedbackGiven(c.env.DB, librarian) });
  throw badRequest('about: "me" or "partners"', "about");
});
