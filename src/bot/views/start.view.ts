// The greeting for a known person: who they are here, and what is due.
import { correctableUntil } from "../../domain/calendar.ts";
import type { Actor } from "../../services/access.service.ts";
import type { Services } from "../../services/index.ts";
import * as vi from "../locales/vi.ts";

export async function greetingView(services: Services, actor: Actor, now: Date): Promise<string> {
  const active = actor.active;
  if (!active) return vi.common.chooseCluster;
  // a secretary of several boards is greeted with all of them, and told what is due for each
  const boards = active.boards ?? (active.board ? [active.board] : []);
  const boardNames = boards.map((b) => b.name).join(", ");
  const lines = [vi.start.greeting(actor.person.firstName, active.cluster.name, active.roles, boardNames || null)];
  const current = await services.periods.current(active.cluster, now);
  const over = current.status === "closed" && now.getTime() >= current.dates.briefingAt.getTime();
  if (current.status === "not_open" || over) {
    const next = await services.periods.upcoming(active.cluster, now);
    lines.push(vi.start.nextOpens(next.ref, vi.dateTime(next.dates.opensAt, active.cluster.timezone)));
  } else if (active.roles.includes("secretary")) {
    for (const board of boards) {
      const prefix = boards.length > 1 ? `${vi.members.boardPrefix(board.shortName)} ` : "";
      const report = current.period ? await services.status.boardReport(current.period.id, board.id) : null;
      if (report?.status === "submitted" && report.submittedAt) {
        const until = correctableUntil(current.dates.deadline, report.unlockedUntil, now);
        lines.push(
          prefix +
            vi.start.submittedReport(
              current.ref,
              vi.dateTime(report.submittedAt, active.cluster.timezone),
              until && vi.dateTime(until, active.cluster.timezone),
            ),
        );
      } else if (current.status === "open" || !report || report.status !== "submitted") {
        const total = await services.status.indicatorCount(active.cluster, current);
        const missing = Math.max(0, total - (report?.answered ?? 0));
        lines.push(
          prefix +
            vi.start.dueReport(
              current.ref,
              vi.dateTime(current.dates.deadline, active.cluster.timezone),
              vi.timeLeft(current.dates.deadline, now),
              missing,
              current.status === "closed",
            ),
        );
      }
    }
  }
  if (active.roles.includes("chair") || active.roles.includes("deputy")) lines.push(vi.start.chairHint);
  lines.push("", "/trogiup — xem hướng dẫn");
  return lines.join("\n");
}
