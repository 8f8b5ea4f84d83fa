/**
 * Helpers for the administration tests: admins of each role, calls to the
 * admin API, the invitation mail read back through the real outbox.
 */
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { expect } from "vitest";
import { deliverMail } from "../../src/mail/outbox";
import { call, createLibrarian, signIn, type TestLibrarian } from "./helpers";

export type RoleName = "librarian" | "library_admin" | "group_admin" | "service_admin";

export interface SignedIn extends TestLibrarian {
  cookie: string;
  role: RoleName;
}

export async function signedIn(libraryId: string, role: RoleName, name = `${role} person`): Promise<SignedIn> {
  const l = await createLibrarian(libraryId, name, role);
  return { ...l, role, cookie: await signIn(l) };
}

/** A call to /api/admin<path> as the holder of `cookie` (or nobody). */
export function admin(path: string, cookie: string | undefined, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  return call(`/api/admin${path}`, { ...init, cookie });
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Asserts a clear error: the status, the field it names, and a message. */
export async function expectError(res: Response, status: number, field?: string): Promise<{ code: string; message: string; field?: string }> {
  const body = await json<{ error: { code: string; message: string; field?: string } }>(res.clone());
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.message.length).toBeGreaterThan(5);
  if (field !== undefined) expect(body.error.field).toBe(field);
  return body.error;
}

export async function auditCount(libraryId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE library_id = ?").bind(libraryId).first<{ n: number }>();
  return row!.n;
}

/** The newest account mail to `to`, sent through the real send_email binding and parsed; returns the set-password path in it. */
export async function accountLinkMailedTo(to: string): Promise<{ path: string; subject: string; text: string }> {
  const row = await env.DB.prepare("SELECT event_key FROM mail_outbox WHERE to_address = ? AND event_key LIKE 'account-link:%' ORDER BY created_at DESC, rowid DESC LIMIT 1")
    .bind(to)
    .first<{ event_key: string }>();
  if (!row) throw new Error(`no account mail to ${to}`);
  expect(["sent", "already_sent"]).toContain(await deliverMail(env, row.event_key));
  const sent = await env.DB.prepare("SELECT raw_message FROM mail_outbox WHERE event_key = ?").bind(row.event_key).first<{ raw_message: string }>();
  const mail = await PostalMime.parse(sent!.raw_message);
  expect(mail.to?.[0]?.address).toBe(to);
  const link = /https?:\/\/[^\s/]+(\/account\/set-password\/[A-Za-z0-9_-]+)/.exec(mail.text ?? "");
  if (!link) throw new Error(`no link in mail: ${mail.text}`);
  return { path: link[1]!, subject: mail.subject ?? "", text: mail.text ?? "" };
}

/** Posts the set-password page's form as a browser would. */
export function postSetPassword(path: string, password: string, confirm = password): Promise<Response> {
  const token = path.split("/").pop()!;
  return call("/account/set-password", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, password, confirm }).toString(),
    redirect: "manual",
  });
}

/** A password that passes the policy, different each time. */
export function goodPassword(): string {
  return `maple lantern ${crypto.randomUUID().slice(0, 8)} river`;
}
