/**
 * "Now", behind one seam. Everything that depends on time (presence grace,
 * wait limits, roll-over, schedules, scrubs) asks a Clock, so tests can move
 * time instead of waiting for it.
 */
export interface Clock {
  now(): number;
}

/** The real clock, which tests may push forward. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
