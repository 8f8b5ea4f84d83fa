/**
 * A token bucket: `capacity` tokens, refilled evenly to full over `periodMs`.
 * The session object keeps one per chat author for messages, and one for frames
 * and one for bytes per co-browse sharing page (in memory: a limit that
 * restarts after hibernation is still a limit).
 */
export class RateBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes `cost` tokens if there are enough (true), or takes nothing (false). */
  take(cost: number, now: number): boolean {
    this.refill(now);
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens will be there (0 if they are now). */
  waitMs(cost: number, now: number): number {
    this.refill(now);
    return Math.max(0, Math.ceil(((cost - this.tokens) / this.capacity) * this.periodMs));
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / this.periodMs) * this.capacity);
  }
}
