/**
 * A server-side safety net over the co-browse stream. The patron's widget
 * masks every input value and blocks password, card, PIN and hidden fields
 * before anything leaves the page; this guard refuses a frame in which that
 * plainly did not happen, so a broken or tampered recorder cannot leak what a
 * patron typed to the librarian:
 *
 * - a text-like field (input, textarea, select) whose value is not masked
 *   (only asterisks), in a page snapshot or an added node;
 * - a password, card-number or one-time-code field that carries any value
 *   at all (they must arrive blocked, as empty placeholders);
 * - a typed-input event whose text is not masked, unless it belongs to a
 *   checkbox, radio button or button (whose "value" is the page's own label).
 *
 * Events follow rrweb's format (EventType 2 = full snapshot, 3 = incremental;
 * IncrementalSource 0 = mutation, 5 = input; NodeType 2 = element).
 */

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const SOURCE_MUTATION = 0;
const SOURCE_INPUT = 5;
const ELEMENT = 2;

/** Inputs whose value is a label the page set, not something typed. */
const LABEL_TYPES = new Set(["checkbox", "radio", "submit", "button", "reset", "image"]);

/** What the guard remembers about one sharing page's nodes (in memory only). */
export interface NodeKinds {
  /** Node ids of checkboxes, radios and buttons. */
  labelled: Set<number>;
  /** Node ids of password, card and one-time-code fields. */
  secret: Set<number>;
}

export function newNodeKinds(): NodeKinds {
  return { labelled: new Set(), secret: new Set() };
}

interface SerializedNode {
  type?: unknown;
  id?: unknown;
  tagName?: unknown;
  attributes?: unknown;
  childNodes?: unknown;
}

const isMasked = (value: unknown) => value === undefined || value === null || value === "" || (typeof value === "string" && /^\*+$/.test(value));

/**
 * An attribute as the page would hold it: rrweb writes text (numbers and
 * booleans from some browsers); anything else — a list, an object whose
 * toString is not a function — is what no page has, read as empty (the
 * value checks still apply), never turned into text by String(), which throws.
 */
function attributeText(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

function isSecretField(attrs: Record<string, unknown>): boolean {
  const type = attributeText(attrs.type);
  const autocomplete = attributeText(attrs.autocomplete);
  return type === "password" || autocomplete.startsWith("cc-") || autocomplete.includes("one-time-code") || autocomplete.includes("current-password") || autocomplete.includes("new-password");
}

/** Checks one serialized node and its children; returns the problem, or null. Records what kind of field each input is. */
function checkNode(node: SerializedNode, kinds: NodeKinds, depth = 0): string | null {
  if (depth > 2000) return "The page is nested too deeply to share.";
  if (node.type === ELEMENT && typeof node.tagName === "string") {
    const tag = node.tagName.toLowerCase();
    const attrs = (node.attributes && typeof node.attributes === "object" ? node.attributes : {}) as Record<string, unknown>;
    if (tag === "input" || tag === "textarea" || tag === "select") {
      const id = typeof node.id === "number" ? node.id : -1;
      const type = attributeText(attrs.type);
      if (isSecretField(attrs)) {
        kinds.secret.add(id);
        if ("value" in attrs || "checked" in attrs) return "A password, card or PIN field was about to be shared; it must stay blocked.";
      } else if (tag === "input" && LABEL_TYPES.has(type)) {
        kinds.labelled.add(id);
      } else if (!isMasked(attrs.value)) {
        return "A typed value was about to be shared unmasked.";
      }
    }
  }
  if (Array.isArray(node.childNodes)) {
    for (const child of node.childNodes as SerializedNode[]) {
      const problem = child && typeof child === "object" ? checkNode(child, kinds, depth + 1) : null;
      if (problem) return problem;
    }
  }
  return null;
}

/** Checks a batch of page events before it is relayed; returns why it is refused, or null. */
export function streamProblem(events: { type: number; data?: unknown }[], kinds: NodeKinds): string | null {
  for (const e of events) {
    const data = (e.data && typeof e.data === "object" ? e.data : {}) as Record<string, unknown>;
    if (e.type === FULL_SNAPSHOT) {
      kinds.labelled.clear();
      kinds.secret.clear();
      const problem = data.node && typeof data.node === "object" ? checkNode(data.node as SerializedNode, kinds) : null;
      if (problem) return problem;
    } else if (e.type === INCREMENTAL && data.source === SOURCE_MUTATION && Array.isArray(data.adds)) {
      for (const add of data.adds as { node?: SerializedNode }[]) {
        const problem = add?.node && typeof add.node === "object" ? checkNode(add.node, kinds) : null;
        if (problem) return problem;
      }
    } else if (e.type === INCREMENTAL && data.source === SOURCE_INPUT) {
      const id = typeof data.id === "number" ? data.id : -1;
      if (kinds.secret.has(id)) return "A password, card or PIN field was about to be shared; it must stay blocked.";
      if (!kinds.labelled.has(id) && !isMasked(data.text)) return "A typed value was about to be shared unmasked.";
    }
  }
  return null;
}
