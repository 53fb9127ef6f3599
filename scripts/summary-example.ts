// Builds docs/summary-example.png, docs/summary-example.txt and docs/report-example.docx:
// the summary and the briefing document of quý III/2026 for the example cluster
// (docs/examples/btc-5tp.yaml) with plausible figures, on a throw-away SQLite database,
// through the same code as `cli summary`.
// Run: npx tsx scripts/summary-example.ts [<output folder, default docs>]
// then: node scripts/docx-to-pdf.mjs docs/report-example.docx (PDF and first-page PNG; needs LibreOffice)
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSummaryCommand } from "../src/cli/summary.command.ts";
import { loadClusterConfigFile } from "../src/cluster-config/load.ts";
import { createDb } from "../src/db/client.ts";
import { createRepositories } from "../src/db/index.ts";
import { migrate } from "../src/db/migrator.ts";
import type { PeriodRef } from "../src/domain/types.ts";
import { zonedLocalToInstant } from "../src/domain/zoned-time.ts";
import { fixedClock } from "../src/services/clock.ts";
import { createConfigService } from "../src/services/config.service.ts";
import { createPeriodService, datesOf } from "../src/services/period.service.ts";

const outDir = process.argv[2] ?? "docs";
const TZ = "Asia/Ho_Chi_Minh";

// Per board, quý III/2026 figures in indicator order (ket_nap … bvct_ho_so), on the scale of
// the example's 2026 plans (docs/examples/btc-5tp.yaml); earlier quarters are derived from
// these so the trend and lũy kế move a little.
const Q3: Record<string, number[]> = {
  HN: [1240, 1105, 16, 7, 102, 38, 325, 24, 8, 275],
  HCM: [1560, 1402, 20, 12, 118, 50, 398, 29, 9, 341],
  HP: [650, 610, 9, 4, 47, 23, 171, 13, 5, 150],
  DN: [410, 380, 5, 2, 31, 14, 104, 8, 3, 92],
  CT: [371, 352, 5, 2, 29, 13, 95, 8, 3, 88],
  HUE: [362, 331, 4, 2, 29, 12, 93, 7, 3, 88],
};
const NOTES: Record<string, [string, string]> = {
  HN: [
    "Hoàn thành kết nạp đảng viên là công nhân trong doanh nghiệp ngoài nhà nước vượt kế hoạch.",
    "Đề nghị hướng dẫn thống nhất quy trình chuyển sinh hoạt đảng trên phần mềm.",
  ],
  HCM: [
    "Thành lập 23 tổ chức đảng trong doanh nghiệp ngoài nhà nước.",
    "Khó khăn trong phát triển đảng viên ở khu công nghiệp, lao động thời vụ.",
  ],
  HP: ["Tổ chức thành công lớp bồi dưỡng cấp ủy viên cơ sở.", ""],
  DN: ["Hoàn thành đề án sắp xếp tổ chức bộ máy sau hợp nhất.", ""],
  CT: ["", "Thiếu cán bộ làm công tác bảo vệ chính trị nội bộ ở cơ sở."],
  HUE: ["Hoàn thành kiện toàn tổ chức đảng sau khi thành phố trực thuộc Trung ương.", ""],
};
/** quarters before Q3 scale the figures by these factors (oldest first), per board */
const TREND: Record<string, number[]> = {
  HN: [0.88, 0.9, 0.95, 1.04],
  HCM: [0.92, 1.05, 1.02, 0.97],
  HP: [0.8, 0.85, 0.92, 0.9],
  DN: [0.95, 0.8, 0.9, 1.1],
  CT: [1.02, 0.95, 0.9, 0.88],
  HUE: [0.9, 0.85, 0.95, 1.02],
};
const PERIODS: PeriodRef[] = [
  { year: 2025, quarter: 3 },
  { year: 2025, quarter: 4 },
  { year: 2026, quarter: 1 },
  { year: 2026, quarter: 2 },
  { year: 2026, quarter: 3 },
];

async function main() {
  const work = await mkdtemp(join(tmpdir(), "summary-example-"));
  const url = `file:${join(work, "example.db")}`;
  await migrate(url);
  const handle = createDb(url);
  try {
    const repos = createRepositories(handle.db);
    const config = await loadClusterConfigFile("docs/examples/btc-5tp.yaml");
    const at = new Date("2025-09-01T00:00:00Z");
    const periods = createPeriodService(repos);
    await createConfigService(repos, periods, fixedClock(at)).apply(config);
    const cluster = (await repos.clusters.findByCode(config.cluster.code))!;
    const set = (await repos.clusters.currentIndicatorSet(cluster.id))!;
    const boards = await repos.clusters.boards(cluster.id);
    const person = await repos.people.upsert({ telegramId: 1000n, firstName: "Thư ký" });
    const numeric = set.indicators.filter((d) => d.kind !== "text");
    const texts = set.indicators.filter((d) => d.kind === "text");

    for (const [pi, ref] of PERIODS.entries()) {
      // Each quarter keeps the scoring and the plans of its year, as when it opened.
      const period = await periods.ensure(cluster, ref);
      const dates = datesOf(period);
      const last = pi === PERIODS.length - 1;
      for (const [bi, board] of boards.entries()) {
        // Quý III: Đà Nẵng has not submitted yet, Cần Thơ submitted after the deadline.
        if (last && board.code === "DN") continue;
        const late = (last && board.code === "CT") || (pi === 2 && board.code === "HP");
        const factor = last ? 1 : (TREND[board.code]?.[pi] ?? 1);
        const report = await repos.reports.getOrCreate(period.id, board.id);
        const submittedAt = new Date(dates.deadline.getTime() + (late ? 1 : -1) * (bi + 1) * 3_600_000 * 5);
        for (const [n, d] of numeric.entries()) {
          const value = Math.round((Q3[board.code]?.[n] ?? 0) * factor);
          await repos.reports.saveValue({
            reportId: report.id,
            indicatorId: d.id,
            value: { kind: "number", value },
            personId: person.id,
            at: submittedAt,
          });
        }
        for (const [n, d] of texts.entries()) {
          const text = last ? (NOTES[board.code]?.[n] ?? "") : "";
          await repos.reports.saveValue({
            reportId: report.id,
            indicatorId: d.id,
            value: text ? { kind: "text", value: text } : { kind: "skipped" },
            personId: person.id,
            at: submittedAt,
          });
        }
        await repos.reports.submit(report.id, 0, person.id, submittedAt, late);
      }
    }

    // The afternoon the summary is posted, the day before the briefing.
    const now = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);
    const lines: string[] = [];
    const out = join(work, "out");
    const result = await runSummaryCommand(
      { cluster: cluster.code, period: "Q3/2026", out },
      { repos, clock: fixedClock(now), print: (l) => lines.push(l) },
    );
    // The last lines name the temporary files: keep the summary itself.
    const text = lines.slice(0, lines.lastIndexOf("")).join("\n");
    await writeFile(join(outDir, "summary-example.txt"), `${text}\n`);
    if (result.chartPath) await copyFile(result.chartPath, join(outDir, "summary-example.png"));
    await copyFile(result.documentPath, join(outDir, "report-example.docx"));
    console.log(`wrote ${outDir}/summary-example.txt, summary-example.png and report-example.docx`);
  } finally {
    await handle.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
