/**
 * /account/set-password — where an invitation or a password-reset link leads:
 * a server-rendered form (works without JavaScript) that sets the password,
 * spends the link, ends the account's other sessions (closing their sockets)
 * and signs the person in.
 */
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { openAccountLink, setPasswordWithLink } from "../auth/account-links";
import { passwordProblem } from "../auth/password-policy";
import { revokeAccess } from "../auth/revoke-access";
import { setSessionCookie } from "../auth/session-cookie";
import { startSession } from "../auth/sign-in";
import { digestToken } from "../auth/tokens";
import { accountAsLibrarian, loadLibrary } from "../admin/lookups";
import { database } from "../db/client";
import type { AppEnv } from "../http/app-env";
import { readFields } from "../http/validate";
import { page } from "../pages/layout";
import { setPasswordSchema } from "../shared/admin-api";
import { PASSWORD_RULES } from "../shared/admin-limits";
import { anyone } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";

export const accountPageRoutes = new Hono<AppEnv>();

type FieldErrors = Partial<Record<"password" | "confirm", string>>;

function linkGonePage(c: Context<AppEnv>) {
  return c.html(
    page({
      title: "Link no longer valid — Refdesk",
      body: html`<main class="narrow">
  <h1>This link no longer works</h1>
  <p>Links to set a password work once and expire after a while. Ask your library administrator to send you a new one.</p>
  <p><a href="/login">Go to sign-in</a></p>
</main>`,
    }),
    410,
  );
}

function setPasswordPage(c: Context<AppEnv>, token: string, who: { displayName: string; email: string; purpose: string }, errors: FieldErrors = {}, status: 200 | 400 = 200) {
  const field = (name: "password" | "confirm", label: string, hint?: string) => {
    const error = errors[name];
    const describedBy = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
    return html`<div class="field">
      <label for="${name}">${label}</label>
      ${hint ? html`<p class="help" id="${name}-hint">${hint}</p>` : ""}
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ""}
      <input id="${name}" name="${name}" type="password" autocomplete="new-password" required minlength="${PASSWORD_RULES.minChars}"
        maxlength="${PASSWORD_RULES.maxChars}" ${describedBy ? html`aria-describedby="${describedBy}"` : ""} ${error ? html`aria-invalid="true"` : ""}>
    </div>`;
  };
  const hasErrors = Object.keys(errors).length > 0;
  return c.html(
    page({
      title: `${hasErrors ? "Error: " : ""}${who.purpose === "invite" ? "Welcome to Refdesk" : "Set a new password"} — Refdesk`,
      body: html`<main class="narrow">
  <h1>${who.purpose === "invite" ? `Welcome, ${who.displayName}` : "Set a new password"}</h1>
  <p>Choose a password for <strong>${who.email}</strong>.</p>
  ${hasErrors ? html`<div class="error-summary" role="alert"><p>Please correct the password below.</p></div>` : ""}
  <form method="post" action="/account/set-password" class="stack">
    <input type="hidden" name="token" value="${token}">
    <input type="text" name="username" autocomplete="username" value="${who.email}" hidden>
    ${field("password", "New password", `At least ${PASSWORD_RULES.minChars} characters. A few unrelated words make a strong password that is easy to remember.`)}
    ${field("confirm", "Type the password again")}
    <button type="submit" class="primary">Set password and sign in</button>
  </form>
</main>`,
    }),
    status,
  );
}

accountPageRoutes.get("/account/set-password/:token", documentedPage({
  summary: "Choose a password (invitation or reset link)",
  description: "Choose a password.",
  who: anyone("Holder of an invitation or reset link"),
  params: { token: { description: "The link's one-time token." } },
  answers: { 200: "The page.", 410: "A page saying the link is spent or expired." },
}), async (c) => {
  const token = c.req.param("token");
  const found = await openAccountLink(database(c.env.DB), token, Date.now());
  if (!found) return linkGonePage(c);
  c.header("Referrer-Policy", "no-referrer");
  return setPasswordPage(c, token, { ...found.librarian, purpose: found.link.purpose });
});

accountPageRoutes.post("/account/set-password", documentedPage({
  summary: "Set the password (form post)",
  description: "Sets the password, spends the link, signs in.",
  who: anyone("Holder of the link, same origin"),
  rawBody: { types: ["application/x-www-form-urlencoded"], description: "The set-password form's fields, with the link's token.", schema: setPasswordSchema },
  answers: { 303: "To `/monitor` or `/admin`.", 400: "The form again, with the problems.", 410: "A page saying the link is spent or expired." },
}), async (c) => {
  const raw = await readFields(c);
  const db = database(c.env.DB);
  const now = Date.now();
  const token = typeof raw.token === "string" ? raw.token : "";
  const found = await openAccountLink(db, token, now);
  if (!found) return linkGonePage(c);
  const who = { ...found.librarian, purpose: found.link.purpose };
  const parsed = setPasswordSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if ((key === "password" || key === "confirm") && !errors[key]) errors[key] = issue.message;
    }
    if (Object.keys(errors).length === 0) errors.password = "Enter a password";
    return setPasswordPage(c, token, who, errors, 400);
  }
  const problem = passwordProblem(parsed.data.password, { email: found.librarian.email });
  if (problem) return setPasswordPage(c, token, who, { password: problem }, 400);
  const ok = await setPasswordWithLink(db, await digestToken(token), found.librarian, parsed.data.password, now);
  if (!ok) return linkGonePage(c);
  // Every earlier sign-in ended with the new password: their sockets close now, before the new session starts.
  await revokeAccess(c.env, db, accountAsLibrarian(found.librarian, (await loadLibrary(db, found.librarian.libraryId)).name), null);
  const session = await startSession(db, found.librarian.id, now);
  setSessionCookie(c, session);
  return c.redirect(found.librarian.role === "librarian" ? "/monitor" : "/admin", 303);
});
