// /trangthai: who has submitted, who has not, deadline and time left.
import type { PeriodStatusReport } from "../../services/status.service.ts";
import * as vi from "../locales/vi.ts";

export function statusView(report: PeriodStatusReport, clusterName: string, tz: string, now: Date): string {
  const { view } = report;
  const lines = [vi.status.title(view.ref, clusterName)];
  if (view.status === "not_open") {
    lines.push(vi.status.notOpenYet(view.ref, vi.dateTime(view.dates.opensAt, tz)));
    return lines.join("\n");
  }
  lines.push(vi.status.deadline(vi.dateTime(view.dates.deadline, tz), vi.timeLeft(view.dates.deadline, now)));
  lines.push(vi.status.counts(report.submitted, report.boards.length), "");
  for (const row of report.boards) {
    if (row.state === "submitted") {
      lines.push(vi.status.submittedLine(row.board.shortName, vi.dateTime(row.submittedAt!, tz), row.late));
    } else if (row.state === "draft") {
      lines.push(vi.status.draftLine(row.board.shortName, row.answered, row.total));
    } else {
      lines.push(vi.status.missingLine(row.board.shortName));
    }
  }
  if (report.blocked.length > 0) {
    lines.push("", vi.status.blockedNote(report.blocked.map((p) => `${p.name} (${p.board})`).join(", ")));
  }
  return lines.join("\n");
}
