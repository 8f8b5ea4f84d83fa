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
import { LIBRARIAN, signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_BODY, NOT_SIGNED_IN, refusal } from "./openapi/refusals";
import { FEEDBACK_ENTRY } from "./openapi/shapes";

export const feedbackRoutes = new Hono<AppEnv>();

feedbackRoutes.post("/", documented({
  group: GROUPS.feedback,
  summary: "Leave feedback about a partner's chat",
  description: "Leaves feedback about an ended chat a partner library answered; one per chat.",
  who: signedIn("A signed-in librarian of the chat's home library."),
  body: feedbackSchema,
  answers: { 201: `\`{feedback}\`: ${FEEDBACK_ENTRY}.` },
  refusals: [
    NOT_SIGNED_IN,
    BAD_BODY,
    refusal(404, "not_found", "No such chat.", "sessionId"),
    refusal(403, "forbidden", "The chat is not of this librarian's library."),
    refusal(409, "validation_failed", "No partner library answered the chat.", "sessionId"),
    refusal(409, "not_active", "The chat has not ended.", "sessionId"),
    refusal(409, "validation_failed", "Feedback about the chat was already left.", "sessionId"),
  ],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const body = await parseBody(c, feedbackSchema);
  return c.json({ feedback: await leaveFeedback(c.env.DB, librarian, body) }, 201);
});

/** ?about=me (default): feedback about my sessions; ?about=partners: what my library said about its partners. */
feedbackRoutes.get("/", documented({
  group: GROUPS.feedback,
  summary: "Feedback about me, or what we said about partners",
  description: "Feedback, newest first (at most 200).",
  who: LIBRARIAN,
  query: { about: "`me` (default): about the chats this librarian answered for partners; `partners`: what this librarian's library said about its partners." },
  answers: { 200: `\`{feedback}\`: each ${FEEDBACK_ENTRY}.` },
  refusals: [NOT_SIGNED_IN, refusal(400, "validation_failed", "`about` is neither `me` nor `partners`.", "about")],
}), async (c) => {
  const librarian = requireLibrarian(c);
  const about = c.req.query("about") ?? "me";
  if (about === "me") return c.json({ feedback: await feedbackAboutMe(c.env.DB, librarian) });
  if (about === "partners") return c.json({ feedback: await feedbackGiven(c.env.DB, librarian) });
  throw badRequest('about: "me" or "partners"', "about");
});
