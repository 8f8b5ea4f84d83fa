/**
 * Account mails: the invitation to Refdesk and the password-reset link. Each
 * goes through the durable outbox, keyed by the link it carries, so one link
 * never yields two mails.
 */
import type { Database } from "../db/client";
import { mailOutbox } from "../db/schema";
import { cleanName, nameInText } from "../shared/display-text";
import { escapeHtml } from "../shared/html-escape";

export interface AccountMail {
  purpose: "invite" | "reset";
  libraryId: string;
  libraryName: string;
  to: string;
  displayName: string;
  invitedBy: string;
  link: string;
  expiresAt: number;
  timeZone: string;
}

export const accountMailKey = (tokenHash: string) => `account-link:${tokenHash}`;

/** The account mail's sentences, with each name put in by `name` (isolated for plain text or for HTML). */
function wording(m: AccountMail, name: (n: string) => string) {
  return {
    greeting: `Hello ${name(m.displayName)},`,
    lead:
      m.purpose === "invite"
        ? `${name(m.invitedBy)} has invited you to answer chats for ${name(m.libraryName)} on Refdesk.`
        : `${name(m.invitedBy)} has asked Refdesk to let you set a new password for your account at ${name(m.libraryName)}.`,
  };
}

export function composeAccountMail(m: AccountMail): { subject: string; text: string; html: string } {
  const until = new Intl.DateTimeFormat("en-US", { timeZone: m.timeZone, dateStyle: "long", timeStyle: "short" }).format(m.expiresAt);
  const subject = m.purpose === "invite" ? `You are invited to Refdesk at ${nameInText(m.libraryName)}` : `Set a new Refdesk password`;
  const plain = wording(m, (n) => nameInText(n));
  // Names are escaped here; the fixed words around them need no escaping.
  const rich = wording(m, (n) => `<bdi>${escapeHtml(cleanName(n))}</bdi>`);
  const action = m.purpose === "invite" ? "Choose your password to finish setting up your account:" : "Choose a new password here:";
  const text = `${plain.greeting}\n\n${plain.lead}\n\n${action}\n${m.link}\n\nThis link works once, until ${until}. If you did not expect this mail, you can ignore it.\n`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(cleanName(subject))}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;color:#111"><p>${rich.greeting}</p><p>${rich.lead}</p>` +
    `<p>${escapeHtml(action)}<br><a href="${escapeHtml(m.link)}">${escapeHtml(m.link)}</a></p>` +
    `<p>This link works once, until ${escapeHtml(until)}. If you did not expect this mail, you can ignore it.</p></body></html>`;
  return { subject, text, html };
}

/** The outbox row for an account mail; run it in the same batch as the link it carries, then enqueue. */
export function accountMailStatement(db: Database, tokenHash: string, m: AccountMail, now: number) {
  const mail = composeAccountMail(m);
  return db
    .insert(mailOutbox)
    .values({
      eventKey: accountMailKey(tokenHash),
      libraryId: m.libraryId,
      toAddress: m.to,
      fromName: "Refdesk",
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      status: "pending",
      createdAt: now,
    })
    .onConflictDoNothing();
}
