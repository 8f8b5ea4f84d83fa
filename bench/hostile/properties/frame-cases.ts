/**
 * Frames generated from the protocol's own schemas (src/shared/protocol.ts):
 * for each socket — the chat session socket, the queue socket and the
 * co-browse stream — every client frame type its union has, each drawn with
 * fields at and past their edges; and frames that are not the JSON they
 * should be. A frame type added to a union is in the cases without a list to
 * keep.
 */
import fc from "fast-check";
import { z } from "zod";
import { cobrowseClientMessageSchema, cobrowseServerMessageSchema, queueClientMessageSchema, queueServerMessageSchema, sessionClientMessageSchema, sessionServerMessageSchema } from "../../../src/shared/protocol";
import { JSON_SHAPES } from "./edge-values";
import { RAW_JSON_TEXTS, probing, type Fixtures, type JsonSchema } from "./schema-values";

/** Each socket's two directions. */
export const SOCKETS = {
  session: { client: sessionClientMessageSchema, server: sessionServerMessageSchema },
  queue: { client: queueClientMessageSchema, server: queueServerMessageSchema },
  cobrowse: { client: cobrowseClientMessageSchema, server: cobrowseServerMessageSchema },
} as const;
export type SocketKind = keyof typeof SOCKETS;

/** A client frame type: its name and the JSON Schema of what a client sends. */
export interface FrameKind {
  type: string;
  schema: JsonSchema;
}

/** The client frame types of a socket, read from its union. */
export function frameKinds(socket: SocketKind): FrameKind[] {
  const json = z.toJSONSchema(SOCKETS[socket].client, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return (json.oneOf ?? json.anyOf ?? []).map((variant) => ({ type: String(variant.properties?.type?.const), schema: variant }));
}

/** Whether a frame is one the socket's server side may send. */
export function isServerFrame(socket: SocketKind): (frame: unknown) => boolean {
  return (frame) => SOCKETS[socket].server.safeParse(frame).success;
}

/** Frames of one type: the type's fields at their edges, mostly; now and then one the schema accepts. */
export function framesOfKind(kind: FrameKind, fixtures: Fixtures): fc.Arbitrary<string> {
  return probing(kind.schema, fixtures).map((v) => JSON.stringify(v) ?? "null");
}

/** Frames of no type at all: not JSON, JSON of the wrong shape, an unknown type, or far over the frame limit. */
export function framesOfNoKind(frameBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...RAW_JSON_TEXTS.filter((t) => t.length > 0)),
    fc.constantFrom(...JSON_SHAPES).map((v) => JSON.stringify(v) ?? "null"),
    fc.constantFrom("", "ping ", "PING", "\u0000", "hello", "\ud800").map((type) => JSON.stringify({ type })),
    fc.constantFrom(frameBytes, frameBytes + 1, frameBytes * 2).map((n) => JSON.stringify({ type: "send", clientId: "c", body: "x".repeat(n) })),
    fc.constantFrom(Math.ceil(frameBytes / 3) + 1).map((n) => JSON.stringify({ type: "send", clientId: "c", body: "图".repeat(n) })),
  );
}
