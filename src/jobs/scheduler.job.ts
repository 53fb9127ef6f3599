// node-cron wiring only: every minute, one scheduler tick as of the clock's now. A run
// that is still busy is not overlapped; a failed run is logged and the next one runs.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.ts";
import type { Clock } from "../services/clock.ts";
import type { TickLine } from "../services/ledger-executor.ts";

export interface SchedulerJob {
  start(): void;
  stop(): Promise<void>;
}

export function createSchedulerJob(deps: {
  scheduler: { tick(now: Date): Promise<TickLine[]> };
  clock: Clock;
  logger: Logger;
  /** cron expression (default every minute) */
  expression?: string;
}): SchedulerJob {
  const { scheduler, clock, logger } = deps;
  let task: ScheduledTask | null = null;
  let running: Promise<void> | null = null;

  async function run(): Promise<void> {
    try {
      const lines = await scheduler.tick(clock.now());
      for (const l of lines) {
        logger.info(
          {
            key: l.key,
            outcome: l.outcome,
            recipients: l.recipients,
            sent: l.sent,
            blocked: l.blocked,
            failed: l.failed,
          },
          "scheduled action",
        );
      }
    } catch (err) {
      logger.error({ err }, "scheduler tick failed");
    }
  }

  return {
    start() {
      if (task) return;
      // Every minute, whatever the zone: the planner works in each cluster's own time zone.
      task = cron.schedule(
        deps.expression ?? "* * * * *",
        () => {
          running = run();
          return running;
        },
        { name: "scheduler-tick", noOverlap: true },
      );
    },
    async stop() {
      const t = task;
      task = null;
      if (t) await t.destroy();
      // let a tick in flight finish its ledger rows before the database closes
      if (running) await running;
    },
  };
}
