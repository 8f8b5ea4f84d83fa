/**
 * A lazy chunk's side of ./preact-host.ts: called with the host's Preact before
 * the chunk renders. As written here it does nothing — the chunk imports Preact
 * itself; the Qwidget's build replaces this module (scripts/build.mjs,
 * hostPreact) so that the chunk runs on the widget's own Preact.
 */
import type { PreactKit } from "./preact-host";

export function adoptPreact(kit: PreactKit): void {
  void kit;
}
