// Small, readable fixtures shared by tests.
import type { ClusterApplyInput } from "../../src/db/cluster.repository.ts";
import type { CalendarConfig, IndicatorDef } from "../../src/domain/types.ts";
import type { ReportSession } from "../../src/services/report.service.ts";

export const defaultCalendar: CalendarConfig = {
  opens: { daysBeforeQuarterEnd: 10, time: "08:00" },
  deadline: { daysAfterQuarterEnd: 5, time: "17:00" },
  briefing: { daysAfterQuarterEnd: 10, time: "08:00" },
  summaryPost: { daysBeforeBriefing: 1, time: "16:00" },
  reminders: ["3d", "1d", "2h"],
  quietHours: { from: "21:00", to: "07:00" },
};

export function indicator(code: string, over: Partial<IndicatorDef> = {}): IndicatorDef {
  return {
    code,
    label: `Chỉ tiêu ${code}`,
    unit: "người",
    kind: "integer",
    min: 0,
    required: true,
    weight: 10,
    better: "higher",
    ...over,
  };
}

export function clusterInput(over: Partial<ClusterApplyInput> = {}): ClusterApplyInput {
  return {
    code: "btc-test",
    name: "Cụm thi đua thử nghiệm",
    timezone: "Asia/Ho_Chi_Minh",
    groupChatId: -1001234567890n,
    calendar: defaultCalendar,
    scoring: { method: "relative-to-best", onTimeWeight: 5 },
    overrides: {},
    boards: [
      { code: "HN", name: "Ban Tổ chức Thành ủy Hà Nội", shortName: "Hà Nội", active: true },
      { code: "HCM", name: "Ban Tổ chức Thành ủy TP. Hồ Chí Minh", shortName: "TP.HCM", active: true },
      { code: "HP", name: "Ban Tổ chức Thành ủy Hải Phòng", shortName: "Hải Phòng", active: true },
    ],
    indicators: [
      indicator("ket_nap"),
      indicator("chinh_thuc", { weight: 5 }),
      indicator("ghi_chu", { kind: "text", unit: "", weight: 0, required: false, min: undefined }),
    ],
    indicatorHash: "h1",
    configHash: "c1",
    ...over,
  };
}

/** A report conversation's session (ids and names made up), for view and step tests. */
export function reportSession(over: Partial<ReportSession> = {}): ReportSession {
  return {
    personId: 7,
    reportId: 3,
    periodId: 2,
    ref: { year: 2026, quarter: 3 },
    clusterId: 1,
    boardId: 4,
    boardName: "Ban Tổ chức Thành ủy Hà Nội",
    boardShortName: "Hà Nội",
    tz: "Asia/Ho_Chi_Minh",
    deadline: Date.UTC(2026, 9, 5, 10),
    status: "draft",
    revision: 0,
    submittedAt: null,
    setId: 1,
    indicators: [],
    values: {},
    previous: {},
    ...over,
  };
}
