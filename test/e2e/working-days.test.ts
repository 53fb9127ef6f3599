// Working days end to end: the real bot and scheduler over the stand-in. A deadline that
// the calendar puts on a Saturday is held on Monday (shown by /trangthai and the report
// header, acted on by the scheduler); during Tết 2027 no reminder goes out; /lich warns
// when the chair picks a day off.
import { afterEach, describe, expect, it } from "vitest";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import { type E2E, SMALL_CLUSTER_YAML, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";
import { at } from "../scheduler/helpers.ts";

/** The small test cluster with its calendar changed (Monday–Friday by default). */
function clusterWith(calendar: string, periods = "") {
  const yaml = SMALL_CLUSTER_YAML.replace(/calendar:[\s\S]*$/, `${calendar}\n${periods}`);
  return parseClusterConfigText(yaml, "working-days.yaml", "yaml");
}

describe.each(testDbKinds())("working days on $name", (kind) => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.stop();
    e = undefined;
  });

  it("a deadline on a Saturday moves to Monday: /trangthai, the report header and the scheduler agree", async () => {
    const config = clusterWith(`calendar:
  deadline: { daysAfterQuarterEnd: 3, time: "17:00" }
  reminders: [1d]`);
    e = await startE2E(kind, { now: at("2026-09-25 10:00"), config });
    const chair = await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");

    chair.send("/trangthai");
    const status = await chair.waitForMessage(/Tình hình báo cáo/);
    expect(status.text).toContain(
      "Hạn nộp: 17:00 ngày 05/10/2026 (còn 10 ngày 7 giờ) (dời từ thứ Bảy 03/10/2026 do trùng ngày nghỉ cuối tuần)",
    );
    expect(status.text).toContain("Giao ban: 08:00 ngày 12/10/2026 (dời từ thứ Bảy 10/10/2026");

    // the report's header: the days the figures cover, the Monday deadline and where it moved from
    lan.send("/baocao");
    const header = (await lan.waitForMessage(/Báo cáo quý III\/2026/)).text ?? "";
    expect(header).toContain("Số liệu tính từ 01/07/2026 đến hết 30/09/2026.");
    expect(header).toContain(
      "Hạn nộp: 17:00 ngày 05/10/2026 (còn 10 ngày 7 giờ) (dời từ thứ Bảy 03/10/2026 do trùng ngày nghỉ cuối tuần)",
    );
    lan.send("/huy");
    await lan.waitForMessage(/tạm dừng|Đã dừng/i);

    // Saturday 03/10 17:00: nothing happens; the 1-day reminder (Sunday 04/10) is not sent
    for (const s of ["2026-10-03 17:00", "2026-10-04 17:00"]) {
      e.clock.set(at(s));
      const lines = await e.app.scheduler.tick(e.clock.now());
      expect(lines.filter((l) => l.outcome !== "skipped")).toEqual([]);
    }
    e.clock.set(at("2026-10-05 17:00"));
    const lines = await e.app.scheduler.tick(e.clock.now());
    expect(lines.map((l) => l.kind)).toEqual(["deadline"]);
    expect((await chair.waitForMessage(/Đã hết hạn nộp/)).text).toContain("(17:00 ngày 05/10/2026)");
    expect(lan.messages().filter((m) => /Nhắc nhở/.test(m.text ?? ""))).toEqual([]);
    const keys = (await e.db.repos.ledger.list()).map((a) => a.key);
    expect(keys.some((k) => k.endsWith(":reminder:1d"))).toBe(false);

    // the chair moves the briefing onto a Saturday: moved, with a warning
    e.clock.set(at("2026-10-06 09:00"));
    chair.send("/lich Q3 giaoban 10/10/2026 08:00");
    const moved = await chair.waitForMessage(/Đã dời/);
    expect(moved.text).toContain("Đã dời giao ban của quý III/2026 sang 08:00 ngày 10/10/2026.");
    expect(moved.text).toContain("Lưu ý: thứ Bảy 10/10/2026 là ngày nghỉ cuối tuần.");
  }, 90_000);

  it("Tết 2027: reminders falling on Giao thừa, mùng 1–4 and the compensatory days are not sent", async () => {
    const config = clusterWith(
      `calendar:
  reminders: [10d, 8d, 6d, 4d, 3d]`,
      `periods:
  2026-Q4: { opens: 2027-02-01T08:00, deadline: 2027-02-15T17:00, briefing: 2027-02-19T08:00, summaryPost: 2027-02-18T16:00 }`,
    );
    e = await startE2E(kind, { now: at("2027-01-29 10:00"), config });
    await e.join(201, "Hùng", "chair");
    const lan = await e.join(101, "Lan", "secretary", "HN");
    const sent: string[] = [];
    for (let d = 1; d <= 15; d++) {
      for (const hour of ["08:00", "17:00"]) {
        e.clock.set(at(`2027-02-${String(d).padStart(2, "0")} ${hour}`));
        for (const l of await e.app.scheduler.tick(e.clock.now())) {
          if (l.outcome !== "skipped") sent.push(`${l.key.split(":").slice(2).join(":")} ${d}/02 ${hour}`);
        }
      }
    }
    expect(sent).toEqual(["open 1/02 08:00", "reminder:3d 12/02 17:00", "deadline 15/02 17:00"]);
    const reminders = lan.messages().filter((m) => /Nhắc nhở/.test(m.text ?? ""));
    expect(reminders).toHaveLength(1);
  }, 120_000);
});
