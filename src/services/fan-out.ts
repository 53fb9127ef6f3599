// Sending one scheduled action's messages: each recipient once across runs of the same
// action (a `message_deliveries` row is reserved before the send and marked after it),
// at this process's pace, and a failure for one recipient never stops the others. A few
// sends are in flight at once so that a round trip to Telegram plus the two delivery
// writes do not lower the rate below the pace; the pacer alone decides how fast.
import type { LedgerAction, LedgerRepository } from "../db/ledger.repository.ts";
import type { Person } from "../domain/entities.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "./clock.ts";
import type { Messenger, Notice, SendOutcome } from "./messenger.ts";
import { createPacer, realSleep, type Sleep } from "./pacer.ts";

/** One message of a fan-out. */
export interface Outgoing {
  chatId: bigint;
  notice: Notice;
  /** the secretary this goes to, for the blocked notice */
  person?: Person | undefined;
  boardName?: string | undefined;
}

export interface FanOutResult {
  /** recipients served by this run (the ones an earlier run served are counted in alreadyServed) */
  recipients: number;
  sent: number;
  blocked: number;
  failed: number;
  alreadyServed: number;
  blockedPeople: { person: Person; boardName: string }[];
}

export const emptyFanOut = (): FanOutResult => ({
  recipients: 0,
  sent: 0,
  blocked: 0,
  failed: 0,
  alreadyServed: 0,
  blockedPeople: [],
});

export interface FanOutDeps {
  ledger: Pick<LedgerRepository, "reserveDelivery" | "recordDelivery">;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  /** pace of this process's sends (default 25/s, under Telegram's ~30/s) */
  sendsPerSecond?: number | undefined;
  sleep?: Sleep | undefined;
  /** sends in flight at once within one fan-out (default 4) */
  concurrency?: number | undefined;
}

/** Sends in flight at once: enough to hide a ~30 ms round trip at 100 messages/s. */
export const DEFAULT_FAN_OUT_CONCURRENCY = 4;

export function createFanOut(deps: FanOutDeps) {
  const { ledger, messenger, clock, logger } = deps;
  const pace = createPacer(deps.sendsPerSecond ?? 25, deps.sleep ?? realSleep);
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY);

  /** One paced message; a messenger that throws (its database write) counts as a failed send, logged. */
  async function send(chatId: bigint, notice: Notice): Promise<SendOutcome> {
    await pace();
    try {
      return await messenger.tell(chatId, notice);
    } catch (err) {
      logger.error({ err, chatId: String(chatId) }, "send threw");
      return "failed";
    }
  }

  /**
   * Sends to each recipient once across runs of the same action, `concurrency` at a time in the order given
   * (each start waits for the pacer). Recipients are reserved one by one just before their send, so a crash
   * leaves at most `concurrency` deliveries pending ("in doubt": sent or not, a resumed run sends them again).
   */
  async function fanOut(
    action: LedgerAction,
    messages: readonly Outgoing[],
    /** called before each recipient; throws to stop the fan-out (the action's lease was lost) */
    mayGoOn?: () => Promise<void>,
  ): Promise<FanOutResult> {
    const r = emptyFanOut();
    const seen = new Set<bigint>();
    const queue = messages.filter((m) => !seen.has(m.chatId) && seen.add(m.chatId));
    let next = 0;

    async function serve(m: Outgoing): Promise<void> {
      await mayGoOn?.();
      if (!(await ledger.reserveDelivery(action.id, m.chatId))) {
        r.alreadyServed++;
        return;
      }
      r.recipients++;
      const outcome = await send(m.chatId, m.notice);
      r[outcome]++;
      if (outcome === "blocked" && m.person) r.blockedPeople.push({ person: m.person, boardName: m.boardName ?? "" });
      try {
        await ledger.recordDelivery(action.id, m.chatId, outcome, outcome === "sent" ? null : outcome, clock.now());
      } catch (err) {
        // left pending: a resumed run sends it again (at most this one message twice)
        logger.error({ err, key: action.key }, "delivery not recorded");
      }
    }

    // A database error or a lost lease stops the whole fan-out, but only after the sends already in flight
    // have finished, so nothing is sent behind the finished (or taken over) ledger row.
    const errors: unknown[] = [];
    async function worker(): Promise<void> {
      for (let m = queue[next++]; m && errors.length === 0; m = queue[next++]) {
        try {
          await serve(m);
        } catch (err) {
          errors.push(err);
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    if (errors.length > 0) throw errors[0];
    return r;
  }

  return { send, fanOut };
}

export type FanOut = ReturnType<typeof createFanOut>;
