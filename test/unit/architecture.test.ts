/**
 * The architecture as rules the import graph must keep (docs/architecture.md):
 * no import cycles anywhere on the server side; the two objects never import
 * each other, and reach each other only through the contracts and stubs in
 * src/objects; no object imports a route; nothing in src reaches into an
 * object's files (src/index.ts only re-exports the classes); the session rules
 * stay pure (no runtime, no storage, no sockets); and no file under
 * durable-objects/ grows past about 400 lines.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const rel = (file: string) => path.relative(root, file).split(path.sep).join("/");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Every module the server side is made of: the Worker's src (not the front ends) and the objects. */
const serverFiles = [...sourceFiles(path.join(root, "src")).filter((f) => !rel(f).startsWith("src/client/")), ...sourceFiles(path.join(root, "durable-objects"))];

/** What each module imports (values and types alike: a type-only cycle still ties two modules together). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g), ...text.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const spec of specifiers) {
    if (!spec.startsWith(".")) continue;
    const base = path.resolve(path.dirname(file), spec);
    const found = [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), base].find((candidate) => serverFiles.includes(candidate));
    if (found) out.push(found);
  }
  return out;
}

const graph = new Map(serverFiles.map((f) => [f, importsOf(f)]));

/** Strongly connected components of more than one module (or a module importing itself): the cycles. */
function cycles(): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

const edges = () => [...graph].flatMap(([from, tos]) => tos.map((to) => ({ from: rel(from), to: rel(to) })));

describe("the server's module graph", () => {
  it("sees the modules it checks (the scan itself works)", () => {
    expect(graph.get(path.join(root, "durable-objects/ChatSession.ts"))?.map(rel)).toContain("durable-objects/chat-session/session-core.ts");
    expect(serverFiles.length).toBeGreaterThan(100);
  });

  it("has no import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  it("keeps the two objects apart: neither imports the other's files; they meet only in src/objects", () => {
    const crossing = edges().filter(
      ({ from, to }) =>
        (/^durable-objects\/(ChatSession\.ts|chat-session\/)/.test(from) && /^durable-objects\/(RequestQueue\.ts|request-queue\/)/.test(to)) ||
        (/^durable-objects\/(RequestQueue\.ts|request-queue\/)/.test(from) && /^durable-objects\/(ChatSession\.ts|chat-session\/)/.test(to)),
    );
    expect(crossing).toEqual([]);
  });

  it("never imports upward: objects do not import routes or the app; src reaches objects only through src/objects (src/index.ts re-exports the classes)", () => {
    const upward = edges().filter(
      ({ from, to }) =>
        (from.startsWith("durable-objects/") && (to.startsWith("src/routes/") || to === "src/index.ts")) ||
        (from.startsWith("src/") && from !== "src/index.ts" && to.startsWith("durable-objects/")),
    );
    expect(upward).toEqual([]);
  });

  it("keeps the session rules pure: they import no runtime, storage, sockets or stubs", () => {
    const rules = serverFiles.filter((f) => rel(f).startsWith("durable-objects/chat-session/rules/"));
    expect(rules.length).toBeGreaterThan(5);
    for (const file of rules) {
      const text = readFileSync(file, "utf8");
      expect(text, rel(file)).not.toMatch(/cloudflare:|DurableObjectState|WebSocket\b|SqlStorage|\bawait\b|src\/objects\/index|\.\.\/(store|sockets|session-core)"/);
    }
  });

  it("keeps every file under durable-objects/ to about 400 lines", () => {
    const long = serverFiles
      .filter((f) => rel(f).startsWith("durable-objects/"))
      .map((f) => ({ file: rel(f), lines: readFileSync(f, "utf8").split("\n").length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
