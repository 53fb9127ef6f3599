// What services tell people (typed notices), in words.
import type { Notice } from "../../services/messenger.ts";
import * as vi from "../locales/vi.ts";

export function noticeText(n: Notice): string {
  switch (n.kind) {
    case "report_submitted":
      return vi.report.chairNotice(n.boardShortName, n.submitted, n.total, n.late, n.revision);
    case "report_unlocked":
      return vi.unlock.toSecretary(n.ref, vi.dateTime(n.until, n.tz));
  }
}
