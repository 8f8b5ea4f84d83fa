/**
 * The order monitors are listed in, by the queue and by every monitor applying
 * presence changes to its list. Apart from the protocol's schemas: the monitor
 * page imports it, and the schemas' validator is not part of that page.
 */
import type { Monitor } from "./protocol";

export const byMonitorName = (a: Monitor, b: Monitor): number => a.name.localeCompare(b.name);
