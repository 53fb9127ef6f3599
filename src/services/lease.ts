// The lease on a claimed ledger action. The instance that runs an action renews its claim
// (the row's claimed_at) every `leaseMs / 4` while it works; another instance takes the
// action over only after the claim went unrenewed for `leaseMs` (a compare-and-set on the
// row), so a live instance keeps its action and a dead one loses it within a lease. Before
// each send the runner checks that it renewed within the last half lease (renewing on the
// spot otherwise) and stops the moment the row is no longer its own: two live instances
// never send for the same action at once.
import type { LedgerRepository } from "../db/ledger.repository.ts";
import type { Clock } from "./clock.ts";

/** The action was taken over by another instance (this one failed to renew it in time). */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(readonly key: string) {
    super(`lease on ${key} lost`);
  }
}

/** Calls `fn` every `ms` until the returned function is called (node timers, unref'd, by default). */
export type Every = (ms: number, fn: () => void) => () => void;

export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref?.();
  return () => clearInterval(timer);
};

/** A claim stays this long without renewal before another instance may take it over. */
export const DEFAULT_LEASE_MS = 20_000;

export interface Lease {
  /** Resolves when this instance may send now; throws LeaseLostError when the action is no longer its own. */
  ensureHeld(): Promise<void>;
  /** Stops renewing (the action is finished, or given up). */
  release(): void;
}

export function createLeases(deps: {
  ledger: Pick<LedgerRepository, "renew">;
  clock: Clock;
  instanceId: string;
  leaseMs?: number | undefined;
  every?: Every | undefined;
  onError?: ((err: unknown, key: string) => void) | undefined;
}) {
  const { ledger, clock, instanceId } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const every = deps.every ?? realEvery;

  return {
    leaseMs,
    /** Starts renewing the claim on `action`, which this instance holds as of `claimedAt`. */
    hold(action: { id: number; key: string; claimedAt: Date }): Lease {
      let renewedAt = action.claimedAt.getTime();
      let lost = false;
      let renewing: Promise<void> | null = null;
      const renew = (): Promise<void> => {
        renewing ??= (async () => {
          const at = clock.now();
          try {
            if (await ledger.renew(action.id, instanceId, at)) renewedAt = at.getTime();
            else lost = true;
          } finally {
            renewing = null;
          }
        })();
        return renewing;
      };
      const stop = every(leaseMs / 4, () => {
        if (!lost) renew().catch((err) => deps.onError?.(err, action.key));
      });
      return {
        async ensureHeld() {
          if (!lost && clock.now().getTime() - renewedAt > leaseMs / 2) await renew();
          if (lost) {
            stop();
            throw new LeaseLostError(action.key);
          }
        },
        release: stop,
      };
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
