// node-cron wiring only: every minute, one scheduler tick as of the clock's now; every few
// seconds, a sweep that takes over fan-outs whose instance died (their lease ran out), so a
// takeover does not wait for the next minute. A run that is still busy is not overlapped;
// a failed run is logged and the next one runs.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.ts";
import type { Clock } from "../services/clock.ts";
import type { TickLine } from "../services/ledger-executor.ts";

export interface SchedulerJob {
  start(): void;
  stop(): Promise<void>;
}

export function createSchedulerJob(deps: {
  scheduler: { tick(now: Date): Promise<TickLine[]>; resume?(now: Date): Promise<TickLine[]> };
  clock: Clock;
  logger: Logger;
  /** cron expression (default every minute) */
  expression?: string;
  /** cron expression of the takeover sweep, with seconds (default every 5 seconds) */
  resumeExpression?: string;
}): SchedulerJob {
  const { scheduler, clock, logger } = deps;
  let tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();

  async function run(what: "tick" | "resume"): Promise<void> {
    try {
      const now = clock.now();
      const lines = what === "tick" ? await scheduler.tick(now) : ((await scheduler.resume?.(now)) ?? []);
      for (const l of lines) {
        logger.info(
          {
            key: l.key,
            outcome: l.outcome,
            recipients: l.recipients,
            sent: l.sent,
            blocked: l.blocked,
            failed: l.failed,
            ...(l.resumed ? { resumed: true } : {}),
          },
          "scheduled action",
        );
      }
    } catch (err) {
      logger.error({ err }, what === "tick" ? "scheduler tick failed" : "takeover sweep failed");
    }
  }

  const track = (p: Promise<void>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  };

  return {
    start() {
      if (tasks.length > 0) return;
      // Every minute, whatever the zone: the planner works in each cluster's own time zone.
      tasks = [
        cron.schedule(deps.expression ?? "* * * * *", () => track(run("tick")), {
          name: "scheduler-tick",
          noOverlap: true,
        }),
      ];
      if (scheduler.resume) {
        tasks.push(
          cron.schedule(deps.resumeExpression ?? "*/5 * * * * *", () => track(run("resume")), {
            name: "scheduler-takeover",
            noOverlap: true,
          }),
        );
      }
    },
    async stop() {
      const ts = tasks;
      tasks = [];
      for (const t of ts) await t.destroy();
      // let runs in flight finish their ledger rows before the database closes
      await Promise.all([...running]);
    },
  };
}
