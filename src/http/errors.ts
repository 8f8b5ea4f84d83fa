/**
 * HTTP errors: every refusal is JSON `{ error: { code, message, field? } }`
 * with the right status, thrown as an ApiError and rendered in one place
 * (`renderError`, mounted as the app's onError).
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorSummary, logEvent, logPath, recordError } from "../ops/log";
import type { ErrorCode } from "../shared/protocol";

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(status, { message });
  }
}

/**
 * The HTTP status of each domain error code, one table: a refusal from an
 * object or a domain module becomes a response with the same code, message
 * and field, and this status.
 */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_json: 400,
  bad_frame: 400,
  validation_failed: 400,
  hello_required: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  session_ended: 409,
  not_active: 409,
  already_taken: 409,
  invalid_transition: 409,
  no_recipient: 409,
  duplicate: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** A refusal (from an object's RPC or a domain rule) as the HTTP error it is. */
export function refusalError(refusal: { code: ErrorCode; message: string; field?: string }): ApiError {
  return new ApiError(HTTP_STATUS[refusal.code], refusal.code, refusal.message, refusal.field);
}

export const badRequest = (message: string, field?: string) => refusalError({ code: "validation_failed", message, field });
export const unauthorized = (message = "Sign in first.") => refusalError({ code: "unauthorized", message });
export const forbidden = (message = "You are not allowed to do that.") => refusalError({ code: "forbidden", message });
export const notFound = (what: string) => refusalError({ code: "not_found", message: `${what} not found.` });

export function errorBody(code: ErrorCode, message: string, field?: string) {
  return { error: field ? { code, message, field } : { code, message } };
}

/** The app's single error handler: known errors keep their status, anything else is a 500 without internals. */
export function renderError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.field), err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code: ErrorCode = status === 401 ? "unauthorized" : status === 403 ? "forbidden" : status === 413 ? "too_large" : "validation_failed";
    const fallback = status === 403 ? "Requests from other sites are refused here." : "Request refused.";
    return c.json(errorBody(code, err.message || fallback), status);
  }
  // Logged and kept for the service health page: the route and D1's words, never the request's data.
  const fields = { method: c.req.method, path: logPath(c.req.url), error: errorSummary(err) };
  if (!c.env?.DB) logEvent("error", "unhandled_error", fields);
  else {
    const recorded = recordError(c.env.DB, "unhandled_error", fields);
    try {
      c.executionCtx.waitUntil(recorded);
    } catch {
      // No execution context (a test calling the app directly): the write simply runs on.
    }
  }
  return c.json(errorBody("internal", "Something went wrong on our side. Please try again."), 500);
}
