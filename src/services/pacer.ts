// The pace of this process's scheduled sends: evenly spaced starts, never a burst to
// catch up after a stall (Telegram counts messages per second, not on average).

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when the next send may start: at most `perSecond` starts a second. */
export function createPacer(perSecond: number, sleep: Sleep, now: () => number = () => performance.now()) {
  const interval = 1000 / perSecond;
  let next = 0;
  return async (): Promise<void> => {
    const t = now();
    const wait = next - t;
    next = Math.max(t, next) + interval;
    if (wait > 0) await sleep(wait);
  };
}
