import type { Clock } from '#ports/clock.ts';

/** A clock that stands still until a test moves it: leases and cutoffs run out on demand. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): this {
    this.current += seconds * 1000;
    return this;
  }
}
