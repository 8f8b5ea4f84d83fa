/**
 * Scenarios for the Qwidget's renderer (src/client/qwidget/renderer.ts), built
 * twice by widget-renderer.test.ts: once on Preact and once on the renderer.
 * Each scenario renders, changes state and writes down what the page then has,
 * so the two builds can be compared observation by observation.
 */
import { render } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";

type Log = string[];
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

/** Keyed rows: rows come and go around the focused one, which keeps its element and the focus. */
async function keyedRows(root: HTMLElement) {
  let setRows: (rows: string[]) => void = () => {};
  function Rows() {
    const [rows, set] = useState(["a", "b", "c"]);
    setRows = set;
    return (
      <ul>
        {rows.map((r) => (
          <li key={r}>
            <input aria-label={r} value={r} />
          </li>
        ))}
      </ul>
    );
  }
  render(<Rows />, root);
  const b = root.querySelector<HTMLInputElement>('[aria-label="b"]')!;
  b.focus();
  const seen: unknown[] = [];
  for (const rows of [["z", "a", "b", "c", "d"], ["z", "b", "d"], ["y", "z", "b", "d", "e"]]) {
    setRows(rows);
    await tick();
    seen.push({ values: [...root.querySelectorAll("input")].map((i) => i.value).join(""), sameElement: root.querySelector('[aria-label="b"]') === b, focused: document.activeElement === b });
  }
  return seen;
}

/** A controlled field: what the patron types stays where the caret is, and the state follows. */
function controlledField(root: HTMLElement) {
  function Field() {
    const [text, setText] = useState("");
    return (
      <form onSubmit={(e) => e.preventDefault()}>
        <textarea id="controlled" aria-label="Message" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <output id="mirror">{text}</output>
      </form>
    );
  }
  render(<Field />, root);
  return "ready";
}

/** Effects: layout effects at once, children first; effects after; cleanups before re-runs and at unmount. */
async function effectOrder(root: HTMLElement) {
  const log: Log = [];
  let setN: (n: number) => void = () => {};
  let setShown: (b: boolean) => void = () => {};
  function Child({ n }: { n: number }) {
    useLayoutEffect(() => {
      log.push(`child layout ${n}`);
      return () => log.push(`child layout cleanup ${n}`);
    }, [n]);
    useEffect(() => {
      log.push(`child effect ${n}`);
      return () => log.push(`child effect cleanup ${n}`);
    }, [n]);
    useEffect(() => {
      log.push("child mounted");
      return () => log.push("child unmounted");
    }, []);
    return <span>{n}</span>;
  }
  function Parent() {
    const [n, set] = useState(1);
    const [shown, show] = useState(true);
    setN = set;
    setShown = show;
    const doubled = useMemo(() => {
      log.push(`memo ${n}`);
      return n * 2;
    }, [n]);
    useLayoutEffect(() => {
      log.push(`parent layout ${n}`);
    });
    useEffect(() => {
      log.push(`parent effect ${n}`);
    }, [n]);
    return (
      <div data-doubled={doubled}>
        {shown && <Child n={n} />}
      </div>
    );
  }
  render(<Parent />, root);
  log.push("rendered");
  await tick();
  setN(2);
  await tick();
  setN(2); // the same value: no render
  await tick();
  setShown(false);
  await tick();
  return { log, doubled: root.querySelector("div")!.dataset.doubled };
}

/** Elements' properties and attributes as Preact sets them, and refs. */
async function attributes(root: HTMLElement) {
  let setOn: (b: boolean) => void = () => {};
  const refs: unknown[] = [];
  const object = { current: null as HTMLElement | null };
  let clicks = 0;
  function Box() {
    const [on, set] = useState(true);
    setOn = set;
    const counted = useRef(0);
    counted.current++;
    return (
      <section
        ref={object}
        class={on ? "on" : undefined}
        hidden={!on}
        aria-expanded={on}
        data-renders={counted.current}
        tabIndex={-1}
        style={{ "--brand": on ? "#123456" : "#654321" }}
        onClick={on ? () => clicks++ : () => (clicks += 10)}
      >
        <select aria-label="Choice" value="b">
          <option value="a">A</option>
          <option value="b">B</option>
        </select>
        {on ? <b ref={(el) => {
              refs.push(el ? el.tagName : null);
            }}>bold</b> : null}
        <label for="x">label</label>
      </section>
    );
  }
  render(<Box />, root);
  const s = root.querySelector("section")!;
  const first = { html: s.outerHTML, select: s.querySelector("select")!.value, ref: object.current === s };
  s.click();
  setOn(false);
  await tick();
  s.click();
  return { first, second: s.outerHTML, clicks, refs, brand: s.style.getPropertyValue("--brand") };
}

/** A component that renders nothing keeps its place among its siblings, and one that changes type replaces its nodes. */
async function placeholders(root: HTMLElement) {
  let setShown: (b: boolean) => void = () => {};
  let setKind: (k: string) => void = () => {};
  function Maybe() {
    const [shown, set] = useState(false);
    setShown = set;
    return shown ? (
      <>
        <i>2</i>
        <i>2½</i>
      </>
    ) : null;
  }
  function Kind() {
    const [kind, set] = useState("p");
    setKind = set;
    return kind === "p" ? <p>4</p> : <em>4</em>;
  }
  render(
    <div>
      <b>1</b>
      <Maybe />
      <b>3</b>
      <Kind />
      text
    </div>,
    root,
  );
  const texts = () => root.firstElementChild!.textContent;
  const seen = [texts()];
  setShown(true);
  await tick();
  seen.push(texts());
  setKind("em");
  setShown(false);
  await tick();
  seen.push(texts(), root.firstElementChild!.innerHTML);
  return seen;
}

const SCENARIOS = { keyedRows, controlledField, effectOrder, attributes, placeholders };

/** Runs one scenario in a fresh element of the page; what it returns is what the test compares. */
export async function run(name: keyof typeof SCENARIOS): Promise<unknown> {
  const root = document.createElement("div");
  root.id = name;
  document.body.append(root);
  return SCENARIOS[name](root);
}
