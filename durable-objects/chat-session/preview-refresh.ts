/**
 * The queues' preview of what a waiting patron adds: the first line goes to
 * the queues at once, then at most one refresh per TIMING.previewRefreshMs with the
 * newest lines. Each refresh is a durable write in every queue the chat waits
 * in and a frame to every monitor there, so a patron who sends a burst of
 * lines costs the queues one refresh a second rather than one per line.
 */
import { TIMING } from "../../src/shared/limits";

export class PreviewRefresh {
  private lastAt = Number.NEGATIVE_INFINITY;
  private trailing: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly refresh: () => void) {}

  /** A waiting patron added a line: refresh now, or once the interval has passed (one refresh for every line meanwhile). */
  request(): void {
    if (this.trailing) return;
    const wait = this.lastAt + TIMING.previewRefreshMs - Date.now();
    if (wait <= 0) return this.run();
    this.trailing = setTimeout(() => {
      this.trailing = null;
      this.run();
    }, wait);
  }

  private run(): void {
    this.lastAt = Date.now();
    this.refresh();
  }
}
