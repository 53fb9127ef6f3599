// A period keeps what it was scored with (issue #13): the real bot over the stand-in.
// 1. After quý III closed and was presented, the file is re-applied with a different
//    `scoring:` (on-time points 5 → 25, cap 120 → 150) and different plans: /tongket Q3
//    shows exactly the same summary; quý IV, opened afterwards, is scored the new way.
// 2. While a period is open, the same kind of change does apply to it (interface.md: only a
//    closed period is never rewritten); a board added to the file mid-quarter takes no part
//    in it: not listed as chưa nộp, no reminder, shown as not taking part.
import { afterEach, describe, expect, it } from "vitest";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import { localDateTimeToInstant } from "../../src/domain/zoned-time.ts";
import { submitQuickReport } from "../helpers/chat.ts";
import { type E2E, SMALL_CLUSTER_YAML, startE2E } from "../helpers/e2e.ts";
import { testDbKinds } from "../helpers/test-db.ts";

const at = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s)!;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return localDateTimeToInstant({ year, month, day, hour, minute }, "Asia/Ho_Chi_Minh");
};

const PLANS_A = `plans:
  2026:
    HN: { ket_nap: 40, ty_le: 90, lop: 4 }
    HCM: { ket_nap: 120, ty_le: 90, lop: 8 }
    DN: { ket_nap: 20, ty_le: 90 }`;
const PLANS_B = `plans:
  2026:
    HN: { ket_nap: 400, ty_le: 50, lop: 40 }
    HCM: { ket_nap: 12, ty_le: 50, lop: 1 }
    DN: { ket_nap: 2, ty_le: 50, lop: 1 }`;
const CT_BOARD = "  - { code: CT, name: Ban Tổ chức Thành ủy Cần Thơ, shortName: Cần Thơ }\n";

function config(opts: { scoring: string; plans: string; withCT?: boolean }) {
  let yaml = SMALL_CLUSTER_YAML.replace(/scoring: .*\n/, `scoring: ${opts.scoring}\n`);
  if (opts.withCT) yaml = yaml.replace(/( {2}- \{ code: DN[^\n]*\n)/, `$1${CT_BOARD}`);
  return parseClusterConfigText(`${yaml}\n${opts.plans}\n`, "cluster.yaml", "yaml");
}
const SCORING_A = "{ method: relative-to-plan, cap: 120, onTimeWeight: 5 }";
const SCORING_B = "{ method: relative-to-plan, cap: 150, onTimeWeight: 25 }";

describe.each(testDbKinds())("a period keeps its scoring on $name", (kind) => {
  let e: E2E | undefined;
  afterEach(async () => {
    await e?.stop();
    e = undefined;
  });

  it("re-applying a changed scoring: and plans: after quý III closed leaves its summary unchanged", async () => {
    e = await startE2E(kind, { now: at("2026-09-25 10:00"), config: config({ scoring: SCORING_A, plans: PLANS_A }) });
    const chair = await e.join(201, "Hùng", "chair");
    const hn = await e.join(101, "Lan", "secretary", "HN");
    const hcm = await e.join(102, "Tuấn", "secretary", "HCM");
    await submitQuickReport(hn, ["30", "90"]);
    await submitQuickReport(hcm, ["60", "80"]);

    e.clock.set(at("2026-10-09 16:00")); // after the deadline, before the briefing: presented
    chair.send("/tongket Q3");
    const before = await chair.waitForMessage(/Tổng kết thi đua quý III\/2026/);
    // HN: 40 × 30/40 + 30 × 1 + 5 = 65; HCM: 40 × 0.5 + 30 × 80/90 + 5 = 51,67 (lop skipped: 0)
    expect(before.text).toContain("🥇 Hà Nội — 65 điểm");
    expect(before.text).toContain("🥈 TP.HCM — 51,67 điểm");
    expect(before.text).toContain("tính tối đa 120% kế hoạch");
    expect(before.text).toContain("nộp đúng hạn +5 điểm; tối đa 125 điểm");
    expect(before.text).toContain("⬜ Đà Nẵng — chưa nộp");

    const outcome = await e.app.services.config.apply(config({ scoring: SCORING_B, plans: PLANS_B }));
    expect(outcome.changes).toContain("cluster scoring changed");
    expect(outcome.changes.some((c) => c.startsWith("scoring of"))).toBe(false); // no period was still open

    chair.send("/tongket Q3");
    const after = await chair.waitForMessage(/Tổng kết thi đua quý III\/2026/);
    expect(after.text).toBe(before.text);

    // quý IV opens after the change: it is scored with the new file
    e.clock.set(at("2026-12-22 09:00"));
    await e.app.scheduler.tick(e.clock.now());
    await submitQuickReport(hn, ["40", "60"]);
    chair.send("/tongket Q4");
    const q4 = await chair.waitForMessage(/Tổng kết thi đua quý IV\/2026/);
    expect(q4.text).toContain("tính tối đa 150% kế hoạch");
    expect(q4.text).toContain("nộp đúng hạn +25 điểm");
    // lũy kế 70 of a plan of 400; 60 % of 50 → capped at 150 %; lop skipped twice
    expect(q4.text).toContain("① 40 (lũy kế 70, 17,5% KH)");

    // the stored snapshot of quý III is still the first file's
    const q3 = await e.db.repos.periods.find((await e.db.repos.clusters.listAll())[0]!.id, { year: 2026, quarter: 3 });
    expect(q3?.scoring?.scoring).toEqual({ method: "relative-to-plan", cap: 120, onTimeWeight: 5 });
    expect(q3?.scoring?.plans.HN).toEqual({ ket_nap: 40, ty_le: 90, lop: 4 });
  }, 120_000);

  it("an open period follows the file; a board added mid-quarter is not taking part and gets no reminder", async () => {
    e = await startE2E(kind, { now: at("2026-09-21 09:00"), config: config({ scoring: SCORING_A, plans: PLANS_A }) });
    const chair = await e.join(201, "Hùng", "chair");
    const dn = await e.join(103, "Minh", "secretary", "DN");
    await e.app.scheduler.tick(e.clock.now()); // quý III opened on 20/09: stored with HN, HCM, DN

    e.clock.set(at("2026-09-25 10:00"));
    const outcome = await e.app.services.config.apply(config({ scoring: SCORING_B, plans: PLANS_A, withCT: true }));
    expect(outcome.changes).toContain("board CT added");
    expect(outcome.changes).toContain("scoring of 1 period(s) not closed updated");
    const ct = await e.join(104, "Nam", "secretary", "CT");
    ct.send("/baocao");
    expect((await ct.waitForMessage(/không tham gia/)).text).toBe(
      "Đơn vị của đồng chí gia nhập cụm sau khi kỳ báo cáo quý III/2026 đã mở, nên không tham gia kỳ này. Đơn vị sẽ báo cáo từ kỳ sau.",
    );

    // the 3-day reminder: Đà Nẵng (not submitted) gets it, Cần Thơ (not taking part) does not
    e.clock.set(at("2026-10-02 17:00"));
    await e.app.scheduler.tick(e.clock.now());
    await dn.waitForMessage(/Nhắc nhở/);
    chair.send("/trangthai");
    const status = await chair.waitForMessage(/Tình hình báo cáo quý III\/2026/);
    expect(status.text).not.toContain("Cần Thơ");
    expect(ct.messages().filter((m) => /Nhắc nhở/.test(m.text ?? ""))).toEqual([]);

    chair.send("/tongket Q3");
    const summary = await chair.waitForMessage(/Tổng kết thi đua quý III\/2026/);
    expect(summary.text).toContain("Đã nộp: 0/3 đơn vị");
    expect(summary.text).toContain("Không tham gia kỳ này (1):");
    expect(summary.text).toContain("▫️ Cần Thơ — gia nhập cụm sau khi kỳ báo cáo đã mở");
    expect(summary.text).not.toContain("⬜ Cần Thơ");
    // the open period follows the re-applied scoring
    expect(summary.text).toContain("nộp đúng hạn +25 điểm");
  }, 120_000);
});
