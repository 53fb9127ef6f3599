import { describe, expect, it } from "vitest";
import { DEFAULT_CALENDAR, periodDates } from "../../src/domain/calendar.ts";
import {
  actionKey,
  DEFAULT_GRACE_MS,
  dueActions,
  isHeldByQuietHours,
  type PlannerCluster,
  plannedActions,
  quartersAround,
  sendableMs,
} from "../../src/domain/planner.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";

const HCM = "Asia/Ho_Chi_Minh";
const Q3 = { year: 2026, quarter: 3 } as const;
const quiet = DEFAULT_CALENDAR.quietHours;

/** A local wall-clock time in Hà Nội: at("2026-10-05 17:00"). */
function at(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(s);
  return zonedLocalToInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), HCM);
}

const cluster: PlannerCluster = {
  id: 1,
  code: "btc-5tp",
  timezone: HCM,
  calendar: DEFAULT_CALENDAR,
  overrides: {},
};

/** Keys of the actions due at `now`, ignoring the older quarters' (stale) leftovers. */
function dueQ3(now: Date, done: string[] = [], c: PlannerCluster = cluster) {
  return dueActions({ clusters: [c], done: new Set(done), now }).filter((a) => a.key.includes("2026-Q3"));
}

describe("actionKey and quartersAround", () => {
  it("builds stable ledger keys", () => {
    expect(actionKey("btc-5tp", Q3, "reminder:3d")).toBe("btc-5tp:2026-Q3:reminder:3d");
  });

  it("looks at the previous, current and next quarter, across the year boundary", () => {
    expect(quartersAround(at("2027-01-05 17:00"), HCM)).toEqual([
      { year: 2026, quarter: 4 },
      { year: 2027, quarter: 1 },
      { year: 2027, quarter: 2 },
    ]);
  });
});

describe("plannedActions", () => {
  it("lists the opening, three reminders, the deadline and the summary post of each quarter", () => {
    const q3 = plannedActions(cluster, at("2026-09-25 12:00")).filter((a) => a.key.includes("2026-Q3"));
    expect(q3.map((a) => [a.eventKey, a.dueAt.toISOString()])).toEqual([
      ["open", at("2026-09-20 08:00").toISOString()],
      ["reminder:3d", at("2026-10-02 17:00").toISOString()],
      ["reminder:1d", at("2026-10-04 17:00").toISOString()],
      ["reminder:2h", at("2026-10-05 15:00").toISOString()],
      ["deadline", at("2026-10-05 17:00").toISOString()],
      ["summary_post", at("2026-10-09 16:00").toISOString()],
    ]);
    expect(q3[1]).toMatchObject({ kind: "reminder", offset: "3d", clusterId: 1, period: Q3 });
  });

  it("uses stored dates over the calendar (a chair moved the deadline)", () => {
    const dates = { ...periodDates(Q3, DEFAULT_CALENDAR, HCM), deadline: at("2026-10-07 17:00") };
    const moved = { ...cluster, stored: new Map([["2026-Q3", dates]]) };
    const q3 = plannedActions(moved, at("2026-09-25 12:00")).filter((a) => a.key.includes("2026-Q3"));
    expect(q3.find((a) => a.kind === "deadline")?.dueAt).toEqual(at("2026-10-07 17:00"));
    expect(q3.find((a) => a.eventKey === "reminder:1d")?.dueAt).toEqual(at("2026-10-06 17:00"));
  });

  it("follows a period override from the configuration", () => {
    const c = { ...cluster, overrides: { "2026-Q3": { opens: "2026-09-25T09:30" } } };
    const open = plannedActions(c, at("2026-09-25 12:00")).find((a) => a.key === "btc-5tp:2026-Q3:open");
    expect(open?.dueAt).toEqual(at("2026-09-25 09:30"));
  });
});

describe("dueActions", () => {
  it("returns nothing before the opening and the opening from its minute on", () => {
    expect(dueQ3(at("2026-09-20 07:59"))).toEqual([]);
    const due = dueQ3(at("2026-09-20 08:00"));
    expect(due.map((a) => a.key)).toEqual(["btc-5tp:2026-Q3:open"]);
    expect(due[0]).toMatchObject({ kind: "open", stale: false });
  });

  it("never returns an action whose key the ledger has (a set or a predicate)", () => {
    expect(dueQ3(at("2026-09-20 08:05"), ["btc-5tp:2026-Q3:open"])).toEqual([]);
    const byPredicate = dueActions({ clusters: [cluster], done: () => true, now: at("2026-10-09 16:00") });
    expect(byPredicate).toEqual([]);
  });

  it("records the previous quarter's leftovers as stale on a fresh installation", () => {
    const all = dueActions({ clusters: [cluster], done: new Set(), now: at("2026-09-20 08:00") });
    const q2 = all.filter((a) => a.key.includes("2026-Q2"));
    expect(q2.map((a) => a.eventKey)).toEqual([
      "open",
      "reminder:3d",
      "reminder:1d",
      "reminder:2h",
      "deadline",
      "summary_post",
    ]);
    expect(q2.every((a) => a.stale)).toBe(true);
    expect(q2[0]?.staleReason).toBe("after_deadline");
    expect(q2[5]?.staleReason).toBe("grace");
  });

  it("catches up within the grace window and skips what is stale after two days of downtime", () => {
    // last tick 2 Oct 09:00; back on 4 Oct 17:30
    const done = ["btc-5tp:2026-Q3:open"];
    const due = dueQ3(at("2026-10-04 17:30"), done);
    expect(due.map((a) => [a.eventKey, a.stale, a.staleReason])).toEqual([
      ["reminder:3d", true, "grace"],
      ["reminder:1d", false, undefined],
    ]);
  });

  it("does not count quiet hours against the grace window", () => {
    const done = ["btc-5tp:2026-Q3:open"];
    // 3d reminder due 2 Oct 17:00; down until 3 Oct 07:00: 14 h late, of which 10 h quiet → sent
    expect(dueQ3(at("2026-10-03 07:00"), done).map((a) => [a.eventKey, a.stale])).toEqual([["reminder:3d", false]]);
    // by 3 Oct 16:00 it is 23 h late, 13 h of it sendable → skipped
    expect(dueQ3(at("2026-10-03 16:00"), done).map((a) => [a.eventKey, a.stale])).toEqual([["reminder:3d", true]]);
  });

  it("holds catch-up inside quiet hours until they end", () => {
    const done = ["btc-5tp:2026-Q3:open", "btc-5tp:2026-Q3:reminder:3d", "btc-5tp:2026-Q3:reminder:1d"];
    // down from 15:00 to 22:00 on the deadline day
    expect(dueQ3(at("2026-10-05 22:00"), done).map((a) => [a.eventKey, a.stale])).toEqual([
      ["reminder:2h", true], // after the deadline: pointless now, recorded as skipped at once
    ]);
    const morning = dueQ3(at("2026-10-06 07:00"), [...done, "btc-5tp:2026-Q3:reminder:2h"]);
    expect(morning.map((a) => [a.eventKey, a.stale])).toEqual([["deadline", false]]);
  });

  it("sends an action configured inside quiet hours at its time", () => {
    const c = { ...cluster, overrides: { "2026-Q3": { deadline: "2026-10-05T22:00" } } };
    const done = ["open", "reminder:3d", "reminder:1d", "reminder:2h"].map((k) => `btc-5tp:2026-Q3:${k}`);
    expect(dueQ3(at("2026-10-05 22:00"), done, c).map((a) => a.eventKey)).toEqual(["deadline"]);
    // but not one configured in last night's window and caught up tonight
    expect(isHeldByQuietHours(at("2026-10-04 22:00"), at("2026-10-05 22:00"), quiet, HCM)).toBe(true);
  });

  it("skips an opening announced only after the deadline", () => {
    const due = dueQ3(at("2026-10-05 17:00"));
    expect(due.find((a) => a.kind === "open")).toMatchObject({ stale: true, staleReason: "after_deadline" });
    expect(due.find((a) => a.kind === "deadline")).toMatchObject({ stale: false });
  });

  it("honours a custom grace window", () => {
    const done = ["btc-5tp:2026-Q3:open"];
    const due = dueActions({
      clusters: [cluster],
      done: new Set(done),
      now: at("2026-10-02 19:00"),
      graceMs: 3_600_000,
    });
    expect(due.filter((a) => a.key.includes("Q3")).map((a) => a.stale)).toEqual([true]);
  });

  it("plans several clusters, earliest first", () => {
    const other: PlannerCluster = {
      ...cluster,
      id: 2,
      code: "btc-mien-bac",
      overrides: { "2026-Q3": { opens: "2026-09-20T07:30" } },
    };
    const due = dueActions({ clusters: [cluster, other], done: () => false, now: at("2026-09-20 08:00") }).filter(
      (a) => !a.stale,
    );
    expect(due.map((a) => a.key)).toEqual(["btc-mien-bac:2026-Q3:open", "btc-5tp:2026-Q3:open"]);
  });

  it("uses a 12 hour grace window by default", () => {
    expect(DEFAULT_GRACE_MS).toBe(12 * 3_600_000);
  });
});

describe("sendableMs", () => {
  it("subtracts the quiet hours between two instants", () => {
    expect(sendableMs(at("2026-10-02 17:00"), at("2026-10-03 08:00"), quiet, HCM)).toBe(5 * 3_600_000);
    expect(sendableMs(at("2026-10-02 22:00"), at("2026-10-03 06:00"), quiet, HCM)).toBe(0);
    expect(sendableMs(at("2026-10-02 17:00"), at("2026-10-04 17:00"), quiet, HCM)).toBe(28 * 3_600_000);
  });

  it("is the plain span without quiet hours and zero for reversed spans", () => {
    expect(sendableMs(at("2026-10-02 17:00"), at("2026-10-03 08:00"), undefined, HCM)).toBe(15 * 3_600_000);
    expect(sendableMs(at("2026-10-03 08:00"), at("2026-10-02 17:00"), quiet, HCM)).toBe(0);
  });

  it("stops early once past the bound (a lower bound above it)", () => {
    const v = sendableMs(at("2026-01-01 08:00"), at("2026-12-31 08:00"), quiet, HCM, DEFAULT_GRACE_MS);
    expect(v).toBeGreaterThan(DEFAULT_GRACE_MS);
  });
});
