// /trangthai: who has submitted, who has not, deadline and time left.
import { type DateShift, shiftOf } from "../../domain/calendar.ts";
import type { PeriodDates } from "../../domain/types.ts";
import type { PeriodStatusReport } from "../../services/status.service.ts";
import * as vi from "../locales/vi.ts";

/**
 * `shifts`: the dates working days moved (domain dateShifts); a note is shown only where the period still
 * holds the moved date (a chair may have set another one with /lich).
 */
export function statusView(
  report: PeriodStatusReport,
  clusterName: string,
  tz: string,
  now: Date,
  shifts: readonly DateShift[] = [],
): string {
  const { view } = report;
  const moved = (field: keyof PeriodDates) => {
    const s = shiftOf(shifts, field, view.dates[field]);
    return s ? vi.movedFrom(s.from, tz, s.reason) : "";
  };
  const lines = [vi.status.title(view.ref, clusterName)];
  if (view.status === "not_open") {
    lines.push(vi.status.notOpenYet(view.ref, vi.dateTime(view.dates.opensAt, tz), moved("opensAt")));
    return lines.join("\n");
  }
  lines.push(
    vi.status.deadline(vi.dateTime(view.dates.deadline, tz), vi.timeLeft(view.dates.deadline, now), moved("deadline")),
    vi.status.briefing(vi.dateTime(view.dates.briefingAt, tz), moved("briefingAt")),
  );
  lines.push(vi.status.counts(report.submitted, report.boards.length, report.awaitingApproval), "");
  for (const row of report.boards) {
    if (row.awaitingApproval) {
      lines.push(vi.status.awaitingLine(row.board.shortName, vi.dateTime(row.submittedAt!, tz), row.late));
    } else if (row.state === "submitted") {
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
