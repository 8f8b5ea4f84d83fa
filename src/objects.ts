/**
 * Typed stubs for the Durable Objects: the only way routes reach them.
 */
import type { ChatSession } from "../durable-objects/ChatSession";
import type { RequestQueue } from "../durable-objects/RequestQueue";

export function chatSession(env: Env, sessionId: string): DurableObjectStub<ChatSession> {
  return env.CHAT_SESSION.getByName(sessionId) as unknown as DurableObjectStub<ChatSession>;
}

export function requestQueue(env: Env, queueId: string): DurableObjectStub<RequestQueue> {
  return env.REQUEST_QUEUE.getByName(queueId) as unknown as DurableObjectStub<RequestQueue>;
}

/** Forwards a WebSocket upgrade to an object, with only the identity headers we set ourselves. */
export function forwardUpgrade(stub: { fetch(request: Request): Promise<Response> }, request: Request, identity: Record<string, string>): Promise<Response> {
  const headers = new Headers({ Upgrade: "websocket", ...identity });
  for (const name of ["Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  return stub.fetch(new Request(request.url, { headers }));
}
