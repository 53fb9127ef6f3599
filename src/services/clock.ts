/** The only source of "now" for services; tests and `cli tick --at` inject their own. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(d: Date): void; advance(ms: number): void } {
  let current = at;
  return {
    now: () => new Date(current.getTime()),
    set(d: Date) {
      current = d;
    },
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
  };
}
