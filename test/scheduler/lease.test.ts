import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/services/clock.ts";
import { createLeases, LeaseLostError } from "../../src/services/lease.ts";

/** A ledger that answers renewals as told, and a hand-driven timer. */
function rig(leaseMs = 20_000) {
  const clock = fixedClock(new Date("2026-09-20T01:00:00Z"));
  const renewals: Date[] = [];
  let owner = "a";
  const ledger = {
    renew: async (_id: number, claimedBy: string, at: Date) => {
      renewals.push(at);
      return claimedBy === owner;
    },
  };
  const timers: { ms: number; fn: () => void; stopped: boolean }[] = [];
  const every = (ms: number, fn: () => void) => {
    const t = { ms, fn, stopped: false };
    timers.push(t);
    return () => {
      t.stopped = true;
    };
  };
  const leases = createLeases({ ledger, clock, instanceId: "a", leaseMs, every });
  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));
  return { clock, renewals, timers, leases, later, takeOver: () => (owner = "b") };
}

describe("leases on claimed actions", () => {
  it("renews a quarter lease apart while the action runs, and stops when released", async () => {
    const r = rig();
    const lease = r.leases.hold({ id: 1, key: "k", claimedAt: r.clock.now() });
    expect(r.timers.map((t) => t.ms)).toEqual([5_000]);
    r.later(5_000);
    r.timers[0]!.fn();
    await Promise.resolve();
    expect(r.renewals).toEqual([r.clock.now()]);
    lease.release();
    expect(r.timers[0]!.stopped).toBe(true);
  });

  it("lets a send go without a statement while the last renewal is under half a lease old", async () => {
    const r = rig();
    const lease = r.leases.hold({ id: 1, key: "k", claimedAt: r.clock.now() });
    r.later(10_000);
    await lease.ensureHeld();
    expect(r.renewals).toEqual([]);
    r.later(1);
    await lease.ensureHeld(); // older than half a lease (the timer is late): renewed on the spot
    expect(r.renewals).toHaveLength(1);
  });

  it("stops the runner once another instance took the action over", async () => {
    const r = rig();
    const lease = r.leases.hold({ id: 1, key: "k", claimedAt: r.clock.now() });
    r.takeOver();
    r.later(5_000);
    r.timers[0]!.fn(); // the renewal finds the row someone else's
    await new Promise((res) => setTimeout(res, 0));
    await expect(lease.ensureHeld()).rejects.toBeInstanceOf(LeaseLostError);
    expect(r.timers[0]!.stopped).toBe(true);
  });
});
