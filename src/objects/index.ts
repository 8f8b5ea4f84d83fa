/**
 * Typed stubs for the Durable Objects: the only way the Worker reaches them.
 * Typed by the RPC surfaces in ./contracts, never by the classes, so no module
 * outside src/index.ts depends on an object's file.
 */
import { IDENTITY_HEADERS, type ChatSessionApi, type RequestQueueApi } from "./contracts";

export function chatSession(env: Env, sessionId: string): ChatSessionApi {
  return env.CHAT_SESSION.getByName(sessionId) as unknown as ChatSessionApi;
}

export function requestQueue(env: Env, queueId: string): RequestQueueApi {
  return env.REQUEST_QUEUE.getByName(queueId) as unknown as RequestQueueApi;
}

type IdentityHeader = (typeof IDENTITY_HEADERS)[keyof typeof IDENTITY_HEADERS];

/** Forwards a WebSocket upgrade to an object, with only the identity headers we set ourselves. */
export function forwardUpgrade(stub: { fetch(request: Request): Promise<Response> }, request: Request, identity: Partial<Record<IdentityHeader, string>>): Promise<Response> {
  const headers = new Headers({ Upgrade: "websocket" });
  for (const [name, value] of Object.entries(identity)) if (value !== undefined) headers.set(name, value);
  for (const name of ["Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  return stub.fetch(new Request(request.url, { headers }));
}
