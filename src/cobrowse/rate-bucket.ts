/**
 * A token bucket: `capacity` tokens, refilled evenly to full over `periodMs`.
 * The session object keeps one for frames and one for bytes per sharing page
 * (in memory: a limit that restarts after hibernation is still a limit).
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
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / this.periodMs) * this.capacity);
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    return true;
  }
}
