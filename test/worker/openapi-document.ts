/** The OpenAPI document exactly as a client gets it: GET /api/openapi.json, parsed. */
import type { ProtocolDocument } from "../../scripts/protocol-docs";
import { call } from "./helpers";

export async function servedDocument(): Promise<ProtocolDocument> {
  const res = await call("/api/openapi.json");
  if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
  return res.json<ProtocolDocument>();
}

/** A Hono path (`/api/chats/:id`, `/qwidget/:chunk{…}`) as OpenAPI writes it (`/api/chats/{id}`). */
export function openApiPath(honoPath: string): string {
  return honoPath
    .split("/")
    .map((segment) => (segment.startsWith(":") ? `{${segment.slice(1).replace(/\{.*$/, "").replace(/\?$/, "")}}` : segment))
    .join("/");
}
