/** Pages document themselves too, more briefly: HTML for people, and the form posts behind it. */
import type { MiddlewareHandler } from "hono";
import { documented, type RouteDoc } from "./describe";
import { GROUPS } from "./groups";

/** What a page declares: no group, kind or refusals of its own (it answers HTML or a redirect, never a JSON error). */
export type PageDoc = Omit<RouteDoc, "group" | "kind" | "refusals" | "answers"> & { answers?: RouteDoc["answers"] };

/** A server-rendered page or the plain form post behind it. */
export function documentedPage(doc: PageDoc): MiddlewareHandler {
  return documented({ ...doc, group: GROUPS.pages, kind: "page", answers: doc.answers ?? { 200: "The page." }, refusals: [] });
}
