/**
 * The files' styles, added once to the document or shadow root that shows a
 * file (the Qwidget's shadow root, the patron's page, the monitor): they come
 * with the files' code, not with every chat window's first load.
 */
import type { RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";
import css from "./files.css";

export function useFileStyles(element: RefObject<HTMLElement>): void {
  useLayoutEffect(() => {
    const root = element.current?.getRootNode() as Document | ShadowRoot | undefined;
    if (!root || root.querySelector("style[data-refdesk-files]")) return;
    const style = document.createElement("style");
    style.dataset.refdeskFiles = "";
    style.textContent = css;
    ("head" in root ? root.head : root).append(style);
  }, []);
}
