// What services tell people (typed notices), in words.
import { APPROVAL_CALLBACK, type InlineButton, type Notice, START_REPORT_CALLBACK } from "../../services/messenger.ts";
import * as vi from "../locales/vi.ts";
import { formatValue } from "./report.view.ts";

export function noticeText(n: Notice): string {
  switch (n.kind) {
    case "report_submitted":
      return vi.report.chairNotice(n.boardShortName, n.submitted, n.total, n.late, n.revision);
    case "report_unlocked":
      return vi.unlock.toSecretary(n.ref, vi.dateTime(n.until, n.tz), n.by);
    case "approval_requested":
      return vi.approval.request(
        n.boardName,
        n.ref,
        n.revision,
        n.lines.map((l) => ({
          label: l.unit ? `${l.label} (${l.unit})` : l.label,
          value: formatValue(l.value ?? undefined, l) ?? "—",
        })),
      );
    case "approval_decided":
      return n.decision === "approved"
        ? vi.approval.approvedToSecretary(n.boardName, n.ref)
        : vi.approval.returnedToSecretary(n.boardName, n.ref, n.reason ?? "");
    case "period_opened":
      return vi.reminders.opening({
        ref: n.ref,
        boardName: n.boardName,
        deadline: vi.dateTime(n.deadline, n.tz),
        left: vi.timeLeft(n.deadline, n.now),
        total: n.total,
      });
    case "reminder":
      return vi.reminders.reminder({
        ref: n.ref,
        boardName: n.boardName,
        deadline: vi.dateTime(n.deadline, n.tz),
        left: vi.timeLeft(n.deadline, n.now),
        missing: n.missing,
        total: n.total,
        manual: n.manual,
      });
    case "deadline_list": {
      const lines = [
        vi.reminders.deadlineTitle(n.ref, vi.dateTime(n.deadline, n.tz)),
        vi.reminders.deadlineCounts(n.submitted, n.boards),
      ];
      if (n.missing.length === 0) lines.push(vi.reminders.deadlineAllIn(n.boards));
      else {
        lines.push(vi.reminders.deadlineMissingTitle);
        for (const b of n.missing) lines.push(vi.reminders.deadlineMissingLine(b.shortName, b.answered, b.total));
      }
      if (n.blocked.length > 0) lines.push(vi.status.blockedNote(n.blocked.join(", ")));
      if (n.missing.length > 0) lines.push(vi.reminders.deadlineFooter);
      return lines.join("\n");
    }
    case "blocked_people":
      return vi.reminders.blockedNotice(n.names.join(", "));
    case "summary_ready":
      return vi.reminders.summaryReady(n.ref, n.clusterName);
    case "group_post_failed":
      return vi.reminders.groupPostFailed(n.ref, n.failure);
    case "group_post_retried":
      return vi.reminders.groupPostRetried(n.ref);
  }
}

/** The buttons a notice carries (entering the report; a leader's decision on a report). */
export function noticeButtons(n: Notice): InlineButton[][] | undefined {
  // an opening or a reminder carries the button that enters the report
  if (n.kind === "period_opened" || n.kind === "reminder")
    return [[{ text: vi.reminders.startButton, data: START_REPORT_CALLBACK }]];
  if (n.kind !== "approval_requested") return undefined;
  return [
    [
      { text: vi.approval.approveButton, data: APPROVAL_CALLBACK.approve(n.reportId, n.revision) },
      { text: vi.approval.returnButton, data: APPROVAL_CALLBACK.ret(n.reportId, n.revision) },
    ],
  ];
}
