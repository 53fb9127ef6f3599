import { afterEach, describe, expect, it, vi } from "vitest";
import { formatTickLine, parseAt, runTickCommand, TickCommandError } from "../../src/cli/tick.command.ts";
import { createSchedulerJob } from "../../src/jobs/scheduler.job.ts";
import { silentLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import type { TickLine } from "../../src/services/ledger-executor.ts";

const line: TickLine = {
  key: "btc-5tp:2026-Q3:reminder:3d",
  kind: "reminder",
  dueAt: new Date("2026-10-02T10:00:00Z"),
  outcome: "done",
  recipients: 2,
  sent: 2,
  blocked: 0,
  failed: 0,
};

describe("scheduler job", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ticks every minute with the clock's now, survives a failing tick, and stops", async () => {
    vi.useFakeTimers({ now: new Date("2026-10-02T09:59:30Z") });
    const seen: string[] = [];
    let calls = 0;
    const scheduler = {
      async tick(now: Date) {
        calls++;
        seen.push(now.toISOString());
        if (calls === 1) throw new Error("database unavailable");
        return [line];
      },
    };
    const clock = { now: () => new Date() };
    const job = createSchedulerJob({ scheduler, clock, logger: silentLogger() });
    job.start();
    job.start(); // idempotent
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(calls).toBe(3);
    expect(seen.map((s) => s.slice(0, 19))).toEqual([
      "2026-10-02T10:00:00",
      "2026-10-02T10:01:00",
      "2026-10-02T10:02:00",
    ]);
    await job.stop();
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(calls).toBe(3);
  });

  it("sweeps for dead instances' actions every 5 seconds between the minute ticks", async () => {
    vi.useFakeTimers({ now: new Date("2026-10-02T10:00:01Z") });
    const resumed: string[] = [];
    const scheduler = {
      tick: async () => [],
      async resume(now: Date) {
        resumed.push(now.toISOString().slice(11, 19));
        return [{ ...line, resumed: true }];
      },
    };
    const job = createSchedulerJob({ scheduler, clock: { now: () => new Date() }, logger: silentLogger() });
    job.start();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(resumed).toEqual(["10:00:05", "10:00:10", "10:00:15"]);
    await job.stop();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(resumed).toHaveLength(3);
  });
});

describe("cli tick", () => {
  it("runs one tick as of --at and prints one line per action", async () => {
    const printed: string[] = [];
    const asked: Date[] = [];
    const scheduler = {
      async tick(now: Date) {
        asked.push(now);
        return [
          line,
          { ...line, key: "btc-5tp:2026-Q3:open", outcome: "skipped" as const, recipients: 0, detail: "stale" },
        ];
      },
    };
    const res = await runTickCommand(
      { at: "2026-10-02T17:00:00+07:00" },
      { scheduler, clock: fixedClock(new Date(0)), print: (l) => printed.push(l) },
    );
    expect(res).toHaveLength(2);
    expect(asked).toEqual([new Date("2026-10-02T10:00:00Z")]);
    expect(printed).toEqual([
      "2026-10-02T10:00:00.000Z  btc-5tp:2026-Q3:reminder:3d  done  2 recipients",
      "2026-10-02T10:00:00.000Z  btc-5tp:2026-Q3:open  skipped  0 recipients — stale",
    ]);
  });

  it("defaults to the clock and says when nothing is due", async () => {
    const printed: string[] = [];
    await runTickCommand(
      {},
      {
        scheduler: { tick: async () => [] },
        clock: fixedClock(new Date("2026-10-02T10:00:00Z")),
        print: (l) => printed.push(l),
      },
    );
    expect(printed).toEqual(["2026-10-02T10:00:00.000Z  nothing due"]);
  });

  it("refuses a time without a zone or not a time at all", () => {
    expect(() => parseAt("2026-10-02 17:00")).toThrow(TickCommandError);
    expect(() => parseAt("tomorrow")).toThrow(/--at: expected an ISO-8601 time/);
    expect(parseAt("2026-10-02T10:00Z")).toEqual(new Date("2026-10-02T10:00:00Z"));
  });

  it("shows failures and resumed runs", () => {
    expect(formatTickLine({ ...line, outcome: "failed", recipients: 1, sent: 0, failed: 1, resumed: true })).toBe(
      "2026-10-02T10:00:00.000Z  btc-5tp:2026-Q3:reminder:3d  failed  1 recipient (sent 0, blocked 0, failed 1) [resumed]",
    );
  });
});
