// Rules between indicators in the report conversation: checked when an answer is typed
// (only rules that read the indicator just answered, once every side has a value) and
// again at submit; the message names both indicators with their values.
import { describe, expect, it } from "vitest";
import { type ReportState, reportStep, startReport } from "../../scenes/report.step.ts";
import * as vi from "../../src/bot/locales/vi.ts";
import { parseRule } from "../../src/domain/rules.ts";
import type { IndicatorRule } from "../../src/domain/types.ts";
import type { IndicatorDto, ReportSession } from "../../src/services/report.service.ts";
import { reportSession } from "../helpers/fixtures.ts";

const ind = (id: number, code: string, label: string): IndicatorDto => ({
  id,
  code,
  label,
  unit: "tổ chức",
  kind: "integer",
  required: true,
  weight: 10,
  better: "higher",
  min: 0,
});

function rule(text: string): IndicatorRule {
  const r = parseRule(text);
  if (!r.ok) throw new Error(text);
  return r.value;
}

function session(patch: Partial<ReportSession> = {}): ReportSession {
  return reportSession({
    indicators: [
      ind(1, "tcd_moi", "Số tổ chức cơ sở đảng thành lập mới"),
      ind(2, "tcd_dn", "Trong đó: trong doanh nghiệp ngoài nhà nước"),
    ],
    previous: {},
    rules: [rule("tcd_dn <= tcd_moi")],
    ...patch,
  });
}

const notices = (r: ReturnType<typeof reportStep>) => r.effects.flatMap((e) => (e.type === "notice" ? [e.notice] : []));

describe("rules between indicators, in the conversation", () => {
  it("an answer that breaks a rule is refused, not stored, and the same question is asked again", () => {
    const st = startReport(session({ values: { "1": { kind: "number", value: 5 } } }), "c").state!;
    expect(st.index).toBe(1);
    const r = reportStep(st, { type: "text", text: "6" });
    expect(r.store).toBeUndefined();
    expect(r.state).toMatchObject({ screen: "question", index: 1 });
    const [n] = notices(r);
    expect(n).toMatchObject({ code: "rule", violations: [{ leftValue: 6, rightValue: 5 }] });
    const ok = reportStep(r.state!, { type: "text", text: "5" });
    expect(ok.store).toEqual({ indicatorId: 2, value: { kind: "number", value: 5 } });
  });

  it("a rule waits until both sides are answered; a later answer on the other side is checked too", () => {
    // tcd_dn first (tcd_moi skipped to the end by answering it later): no check yet
    let st: ReportState = startReport(session(), "c").state!;
    st = { ...st, index: 1 };
    const first = reportStep(st, { type: "text", text: "6" });
    expect(first.store).toEqual({ indicatorId: 2, value: { kind: "number", value: 6 } });
    const back = { ...first.state!, screen: "question" as const, index: 0 };
    const r = reportStep(back, { type: "text", text: "4" });
    expect(r.store).toBeUndefined();
    expect(notices(r)[0]).toMatchObject({ code: "rule" });
  });

  it("at submit the whole report is checked again (a colleague may have changed a value)", () => {
    const values = { "1": { kind: "number" as const, value: 3 }, "2": { kind: "number" as const, value: 4 } };
    const st = startReport(session({ values }), "c").state!;
    expect(st.screen).toBe("review");
    const r = reportStep(st, { type: "button", conv: st.conv, step: st.step, action: "submit" });
    expect(r.submit).toBeUndefined();
    expect(r.state).toMatchObject({ screen: "question", index: 1 });
    expect(notices(r)[0]).toMatchObject({ code: "rule" });
    const fine = startReport(session({ values: { ...values, "2": { kind: "number", value: 3 } } }), "c").state!;
    expect(reportStep(fine, { type: "button", conv: fine.conv, step: fine.step, action: "submit" }).submit).toEqual({
      revision: 0,
    });
  });

  it("sessions stored before rules existed (no rules field) are not checked", () => {
    const st = startReport(session({ rules: undefined, values: { "1": { kind: "number", value: 1 } } }), "c").state!;
    expect(reportStep(st, { type: "text", text: "9" }).store).toBeDefined();
  });

  it("the message names both indicators and their values, in the formal register", () => {
    const text = vi.report.ruleBroken([
      {
        op: "<=",
        left: { label: "Trong đó: trong doanh nghiệp ngoài nhà nước", value: 6 },
        right: [{ label: "Số tổ chức cơ sở đảng thành lập mới", value: 5 }],
        constant: 0,
      },
      {
        op: "<=",
        left: { label: "Chính thức", value: 1500 },
        right: [{ label: "Kết nạp", value: 1200 }],
        constant: 100,
      },
    ]);
    expect(text).toBe(
      [
        "❗ “Trong đó: trong doanh nghiệp ngoài nhà nước” (6) không được lớn hơn “Số tổ chức cơ sở đảng thành lập mới” (5).",
        "❗ “Chính thức” (1.500) không được lớn hơn “Kết nạp” (1.200) + 100 = 1.300.",
        "Đồng chí vui lòng kiểm tra và nhập lại.",
      ].join("\n"),
    );
  });
});
