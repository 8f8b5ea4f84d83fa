/**
 * Plain session states for the rule tests: a request as the Worker starts it,
 * and the same request accepted. No runtime, no storage — the rules are pure.
 */
import type { LibrarianRef, StartChat } from "../../../src/objects/contracts";
import type { RoutePlan } from "../../../src/queues/routing-policy";
import { systemLineText } from "../../../src/shared/system-lines";
import type { Decision, Verdict } from "../../../durable-objects/chat-session/rules/decision";
import { claim } from "../../../durable-objects/chat-session/rules/claim";
import { startSession } from "../../../durable-objects/chat-session/rules/lifecycle";
import type { SessionState } from "../../../durable-objects/chat-session/session-state";

export const T0 = Date.UTC(2026, 11, 1, 15, 0, 0);
export const HOME = "library:springfield";
export const COOP = "group:statewide";
export const NIGHT = "group:night-owls";

export const lisa: LibrarianRef = { id: "lib-lisa", name: "Lisa", libraryId: "springfield" };
export const marge: LibrarianRef = { id: "lib-marge", name: "Marge", libraryId: "springfield" };
export const partner: LibrarianRef = { id: "lib-kent", name: "Kent", libraryId: "shelbyville" };

export function request(overrides: Partial<StartChat> = {}): StartChat {
  return {
    sessionId: "00000000-0000-4000-8000-000000000001",
    tokenHash: "digest",
    libraryId: "springfield",
    libraryName: "Springfield Public Library",
    formId: "springfield-chat",
    queueId: HOME,
    question: "Do you have the 1962 city directory?",
    patronName: "Ada",
    patronEmail: null,
    transcriptOptOut: false,
    waitLimitSeconds: 300,
    ...overrides,
  };
}

export const route = (stages: string[], rollOnTimeout = true): RoutePlan => ({ stages, rolloverMs: 45_000, rollOnTimeout });

/** A request just made. */
export function waiting(overrides: Partial<StartChat> = {}): SessionState {
  return startSession(request(overrides), T0).next;
}

/** Narrows a verdict to a decision, failing the test with the refusal otherwise. */
export function decided(v: Verdict): Decision {
  if (!v.ok) throw new Error(`expected a decision, got ${v.code}: ${v.message}`);
  return v;
}

/** A request accepted by `by` a minute after it was made. */
export function active(by: LibrarianRef = lisa, overrides: Partial<StartChat> = {}): SessionState {
  return decided(claim(waiting(overrides), by, [HOME], T0 + 60_000)).next;
}

/** The transcript lines a decision adds, in order. */
export const linesOf = (d: Decision): string[] => d.outputs.flatMap((o) => (o.kind === "line" ? [systemLineText(o.line)] : []));
