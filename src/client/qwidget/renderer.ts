/**
 * The Qwidget's renderer: the part of Preact's API the widget's components use
 * — function components, Fragment, keyed children, `ref`, and the hooks
 * useState, useEffect, useLayoutEffect, useMemo and useRef — with Preact's
 * meaning, in a third of its bytes. The widget loads into libraries' sites
 * under a byte budget (bench/weight.mjs), and Preact with its hooks was a third
 * of that budget. scripts/build.mjs points the widget's imports of preact,
 * preact/hooks and preact/jsx-runtime here, so the widget's components are the
 * same source as the hosted chat page's, which runs on Preact itself.
 *
 * How it works: each rendered node remembers its DOM node (elements, text) or
 * what it rendered (components). Children are matched to last render's by key,
 * else by type at the same place, else by type in order; then put in order from
 * the last one back, moving a node only when it is out of place (a moved node
 * would lose the focus). A component always has a DOM node — an empty text node
 * when it renders nothing — so one that renders again by itself knows where it
 * stands among its parent's nodes. State changes render in a microtask,
 * parents first; layout effects run at the end of that render, children
 * first, and effects after it, in a task of their own.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- props are whatever the elements take */
type Props = Record<string, any>;
type Component = (props: Props) => unknown;
type Ref = ((node: Node | null) => void) | { current: Node | null } | null | undefined;

interface VNode {
  type: string | Component | null; // null: a text node, its text in `props`
  props: any;
  key?: unknown;
  ref?: Ref;
  dom?: Node;
  kids?: VNode[];
  inst?: Instance;
}

interface Hook {
  value?: any;
  deps?: unknown[];
  run?: () => unknown;
  cleanup?: unknown;
}

interface Instance {
  vnode: VNode;
  parent: Node;
  depth: number;
  hooks: Hook[];
  layout: Hook[];
  effects: Hook[];
  dirty?: boolean;
  dead?: boolean;
}

export function jsx(type: VNode["type"], props: Props, key?: unknown): VNode {
  const { ref, ...rest } = props;
  return { type, props: rest, key, ref };
}
export { jsx as jsxs };

export const Fragment = (props: Props): unknown => props.children;

/** Children as a flat list of fresh nodes (a node object may be rendered twice; what it rendered is kept on it). */
function flatten(children: unknown, out: VNode[] = []): VNode[] {
  if (Array.isArray(children)) for (const c of children) flatten(c, out);
  else if (children != null && typeof children !== "boolean") out.push(typeof children === "object" ? { ...(children as VNode) } : { type: null, props: String(children) });
  return out;
}

const nodesOf = (v: VNode): Node[] => (v.dom ? [v.dom] : v.kids!.flatMap(nodesOf));

/** Puts `kids`' DOM nodes in order in `parent`, ending before `before`. */
function place(parent: Node, kids: VNode[], before: Node | null): void {
  const nodes = kids.flatMap(nodesOf);
  for (let i = nodes.length; i--; ) {
    const node = nodes[i]!;
    if (node.parentNode !== parent || node.nextSibling !== before) parent.insertBefore(node, before);
    before = node;
  }
}

function setRef(ref: Ref, node: Node | null): void {
  if (typeof ref === "function") ref(node);
  else if (ref) ref.current = node;
}

/** Event handlers by event name, read by one listener per element and event. */
function listener(this: any, event: Event): void {
  this.handlers[event.type](event);
}

/** Props set as attributes although the element has a property of the name (as Preact does: the property would differ). */
const ATTRIBUTES_ONLY = new Set(["href", "list", "form", "tabIndex", "download", "role"]);

/** Sets one property of an element as Preact does: a DOM property where there is one, else an attribute. */
function setProp(dom: any, name: string, value: any, old: any): void {
  if (name === "children") return;
  if (name === "style") {
    for (const k in old) if (!value?.[k] && value?.[k] !== 0) setStyle(dom.style, k, "");
    for (const k in value) if (value[k] !== old?.[k]) setStyle(dom.style, k, value[k]);
  } else if (name[0] === "o" && name[1] === "n") {
    const lower = name.toLowerCase();
    const type = (lower in dom ? lower : name).slice(2);
    (dom.handlers ??= {})[type] = value;
    if (!value) dom.removeEventListener(type, listener);
    else if (!old) dom.addEventListener(type, listener);
  } else if (!setAsProperty(dom, name, value) && typeof value !== "function") {
    // aria-* and data-* say "false"; other attributes are absent when false.
    if (value != null && (value !== false || name[4] === "-")) dom.setAttribute(name, value);
    else dom.removeAttribute(name);
  }
}

/** Sets `name` as a DOM property where the element has one and takes it (a read-only one refuses); false: it is an attribute. */
function setAsProperty(dom: any, name: string, value: unknown): boolean {
  if (ATTRIBUTES_ONLY.has(name) || !(name in dom)) return false;
  try {
    dom[name] = value ?? "";
    return true;
  } catch {
    return false;
  }
}

function setStyle(style: CSSStyleDeclaration, key: string, value: unknown): void {
  if (key[0] === "-") style.setProperty(key, value == null ? "" : String(value));
  else (style as any)[key] = value ?? "";
}

/** Renders `v` in place of `old` (the same type and key, or nothing) inside the DOM node `parent`. */
function diff(parent: Node, v: VNode, old: VNode | undefined, depth: number): void {
  const { type, props } = v;
  if (typeof type === "function") {
    const inst = (v.inst = old?.inst ?? ({ depth, hooks: [], layout: [], effects: [] } as unknown as Instance));
    inst.vnode = v;
    inst.parent = parent;
    renderComponent(inst, old?.kids);
  } else if (type === null) {
    const dom = (v.dom = old?.dom ?? document.createTextNode("")) as Text;
    if (dom.data !== props) dom.data = props;
  } else {
    const dom = (v.dom = old?.dom ?? document.createElement(type)) as any;
    const was = old?.props ?? {};
    for (const k in was) if (!(k in props)) setProp(dom, k, null, was[k]);
    for (const k in props) if (k !== "value" && k !== "checked" && props[k] !== was[k]) setProp(dom, k, props[k], was[k]);
    v.kids = diffChildren(dom, flatten(props.children), old?.kids, depth);
    place(dom, v.kids, null);
    // After the children: a select's value names one of its options.
    for (const k of ["value", "checked"]) {
      if (props[k] != null) {
        if (dom[k] !== props[k]) dom[k] = props[k];
      } else if (k in was) dom.removeAttribute(k);
    }
    if (old?.ref !== v.ref) {
      setRef(old?.ref, null);
      setRef(v.ref, dom);
    }
  }
}

function diffChildren(parent: Node, kids: VNode[], old: VNode[] = [], depth: number): VNode[] {
  const unused = new Set(old);
  kids.forEach((v, i) => {
    const same = (o: VNode | undefined) => o && unused.has(o) && o.type === v.type && o.key === v.key;
    let match = old[i];
    if (!same(match)) match = [...unused].find(same);
    unused.delete(match!);
    diff(parent, v, match, depth + 1);
  });
  for (const o of unused) unmount(o, true);
  return kids;
}

function unmount(v: VNode, remove: boolean): void {
  const inst = v.inst;
  if (inst) {
    inst.dead = true;
    for (const h of inst.hooks) if (typeof h.cleanup === "function") h.cleanup();
  }
  setRef(v.ref, null);
  for (const k of v.kids ?? []) unmount(k, remove && !v.dom);
  if (remove && v.dom) (v.dom as ChildNode).remove();
}

let current: Instance | undefined;
let hookIndex = 0;
/** Components whose layout effects and effects are due, children first. */
let committed: Instance[] = [];

function renderComponent(inst: Instance, oldKids: VNode[] | undefined): void {
  // Effects still waiting from the last render run first, as in Preact.
  runEffects(inst, "effects");
  const v = inst.vnode;
  current = inst;
  hookIndex = 0;
  inst.dirty = false;
  const out = flatten((v.type as Component)(v.props));
  current = undefined;
  v.kids = diffChildren(inst.parent, out.length ? out : [{ type: null, props: "" }], oldKids, inst.depth);
  if (inst.layout.length || inst.effects.length) committed.push(inst);
}

function runEffects(inst: Instance, which: "layout" | "effects"): void {
  const due = inst[which];
  inst[which] = [];
  if (!inst.dead)
    for (const h of due) {
      if (typeof h.cleanup === "function") h.cleanup();
      h.cleanup = h.run!();
    }
}

let waiting: Instance[] = [];
function commit(): void {
  const done = committed;
  committed = [];
  for (const inst of done) {
    runEffects(inst, "layout");
    if (inst.effects.length && waiting.push(inst) === 1)
      setTimeout(() => {
        const due = waiting;
        waiting = [];
        for (const i of due) runEffects(i, "effects");
      });
  }
}

let dirty: Instance[] = [];
function enqueue(inst: Instance): void {
  if (inst.dirty || inst.dead) return;
  inst.dirty = true;
  if (dirty.push(inst) === 1) queueMicrotask(flush);
}

function flush(): void {
  while (dirty.length) {
    dirty.sort((a, b) => a.depth - b.depth);
    const inst = dirty.shift()!;
    if (!inst.dirty || inst.dead) continue;
    const v = inst.vnode;
    const before = nodesOf(v).pop()!.nextSibling;
    renderComponent(inst, v.kids);
    place(inst.parent, v.kids!, before);
    commit();
  }
}

/** Renders `v` into `parent`, in place of what was rendered there before. */
export function render(v: unknown, parent: Element & { rendered?: VNode[] }): void {
  parent.rendered = diffChildren(parent, flatten(v), parent.rendered, 0);
  place(parent, parent.rendered, null);
  commit();
}

function hook(): Hook {
  return (current!.hooks[hookIndex++] ??= {});
}

const changed = (h: Hook, deps?: unknown[]) => !h.deps || !deps || deps.length !== h.deps.length || deps.some((d, i) => !Object.is(d, h.deps![i]));

export function useState<T>(initial: T | (() => T)): [T, (next: T | ((was: T) => T)) => void] {
  const h = hook();
  const inst = current!;
  h.value ??= [
    typeof initial === "function" ? (initial as () => T)() : initial,
    (next: any) => {
      const value = typeof next === "function" ? next(h.value[0]) : next;
      if (!Object.is(value, h.value[0])) {
        h.value = [value, h.value[1]];
        enqueue(inst);
      }
    },
  ];
  return h.value;
}

function effectHook(which: "layout" | "effects", run: () => unknown, deps?: unknown[]): void {
  const h = hook();
  if (changed(h, deps)) {
    h.deps = deps;
    h.run = run;
    current![which].push(h);
  }
}

export const useEffect = (run: () => unknown, deps?: unknown[]) => effectHook("effects", run, deps);
export const useLayoutEffect = (run: () => unknown, deps?: unknown[]) => effectHook("layout", run, deps);

export function useMemo<T>(make: () => T, deps: unknown[]): T {
  const h = hook();
  if (changed(h, deps)) {
    h.deps = deps;
    h.value = make();
  }
  return h.value;
}

export const useRef = <T>(initial: T): { current: T } => useMemo(() => ({ current: initial }), []);
