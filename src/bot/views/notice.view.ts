// What services tell people (typed notices), in words.
import { APPROVAL_CALLBACK, type InlineButton, type Notice } from "../../services/messenger.ts";
import * as vi from "../locales/vi.ts";
import { formatValue } from "./report.view.ts";

export function noticeText(n: Notice): string {
  switch (n.kind) {
    case "report_submitted":
      return vi.report.chairNotice(n.boardShortName, n.submitted, n.total, n.late, n.revision);
    case "report_unlocked":
      return vi.unlock.toSecretary(n.ref, vi.dateTime(n.until, n.tz));
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
  }
}

/** The buttons a notice carries (a leader's decision on a report). */
export function noticeButtons(n: Notice): InlineButton[][] | undefined {
  if (n.kind !== "approval_requested") return undefined;
  return [
    [
      { text: vi.approval.approveButton, data: APPROVAL_CALLBACK.approve(n.reportId, n.revision) },
      { text: vi.approval.returnButton, data: APPROVAL_CALLBACK.ret(n.reportId, n.revision) },
    ],
  ];
}
