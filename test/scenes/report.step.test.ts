// The report conversation's step function, branch by branch: no bot, no database.
import { describe, expect, it } from "vitest";
import {
  type Effect,
  firstUnanswered,
  outgoing,
  type ReportState,
  reportStep,
  type StepInput,
  startReport,
} from "../../scenes/report.step.ts";
import type { IndicatorDto, ReportSession, SubmitOutcome } from "../../src/services/report.service.ts";
import { reportSession } from "../helpers/fixtures.ts";

const ind = (id: number, kind: IndicatorDto["kind"], required: boolean): IndicatorDto => ({
  id,
  code: `c${id}`,
  label: `Chỉ tiêu ${id}`,
  unit: kind === "integer" ? "người" : "",
  kind,
  required,
  weight: kind === "text" ? 0 : 10,
  better: "higher",
  ...(kind === "integer" ? { min: 0 } : {}),
});

function session(patch: Partial<ReportSession> = {}): ReportSession {
  return reportSession({
    indicators: [ind(11, "integer", true), ind(12, "percent", true), ind(13, "integer", false), ind(14, "text", false)],
    previous: { "11": { kind: "number", value: 100 } },
    ...patch,
  });
}

const types = (effects: Effect[]) =>
  effects.map((e) =>
    e.type === "notice"
      ? `notice:${e.notice.code}`
      : e.type === "callback"
        ? `callback:${e.stale ? "stale" : "ok"}`
        : e.type,
  );

function started(patch: Partial<ReportSession> = {}): ReportState {
  return startReport(session(patch), "abc").state!;
}

const btn = (st: ReportState, action: string, arg?: number): StepInput & { type: "button" } => ({
  type: "button",
  conv: st.conv,
  step: st.step,
  action,
  arg,
});

describe("starting", () => {
  it("shows the header and the first unanswered question", () => {
    const r = startReport(session({ values: { "11": { kind: "number", value: 5 } } }), "abc");
    expect(types(r.effects)).toEqual(["header", "screen"]);
    expect(r.state).toMatchObject({ screen: "question", index: 1, step: 1, conv: "abc" });
  });

  it("goes to the review when everything is answered or the report was submitted", () => {
    const r = startReport(session({ status: "submitted" }), "abc");
    expect(r.state).toMatchObject({ screen: "review", index: -1 });
    expect(r.reloadValues).toBe(true);
    const all = Object.fromEntries([11, 12, 13, 14].map((id) => [String(id), { kind: "number" as const, value: 1 }]));
    expect(startReport(session({ values: all }), "abc").state?.screen).toBe("review");
  });

  it("firstUnanswered wraps around and says -1 when nothing is open", () => {
    const s = session({ values: { "12": { kind: "number", value: 1 } } });
    expect(firstUnanswered(s, 0)).toBe(2);
    expect(firstUnanswered(s, 3)).toBe(0);
    expect(firstUnanswered(session({ values: { "11": { kind: "skipped" } } }), -1)).toBe(1);
  });
});

describe("a question", () => {
  it("stores a valid answer with the state it leads to: saved, then the next question", () => {
    const st = started();
    const r = reportStep(st, { type: "text", text: "120 người" });
    expect(r.store).toEqual({ indicatorId: 11, value: { kind: "number", value: 120 } });
    expect(types(r.effects)).toEqual(["notice:saved", "screen"]);
    expect(r.state).toMatchObject({ screen: "question", index: 1, step: st.step + 1 });
    expect(r.state?.session.values["11"]).toEqual({ kind: "number", value: 120 });
  });

  it("refuses bad input with the reason and asks again, storing nothing", () => {
    const st = started();
    const r = reportStep(st, { type: "text", text: "mười hai" });
    expect(r.store).toBeUndefined();
    expect(types(r.effects)).toEqual(["notice:retry", "screen"]);
    expect(r.effects[0]).toMatchObject({ notice: { code: "retry", error: { code: "words_not_supported" } } });
    expect(r.state?.index).toBe(0);
  });

  it("asks to confirm a value far from last quarter; confirm stores it, retype asks again", () => {
    const st = started();
    const far = reportStep(st, { type: "text", text: "5000" });
    expect(far.store).toBeUndefined();
    expect(far.state).toMatchObject({ screen: "far", far: { kind: "number", value: 5000 } });
    const confirmed = reportStep(far.state!, btn(far.state!, "confirm"));
    expect(confirmed.store).toEqual({ indicatorId: 11, value: { kind: "number", value: 5000 } });
    expect(types(confirmed.effects)).toEqual(["callback:ok", "notice:saved", "screen"]);
    expect(confirmed.state?.far).toBeUndefined();
    const retype = reportStep(far.state!, btn(far.state!, "retype"));
    expect(retype.state).toMatchObject({ screen: "question", index: 0 });
    expect(retype.store).toBeUndefined();
    // typing another value instead of pressing a button answers the question
    const typed = reportStep(far.state!, { type: "text", text: "110" });
    expect(typed.store?.value).toEqual({ kind: "number", value: 110 });
  });

  it("back, keep, skip and pause buttons", () => {
    const st = reportStep(started(), { type: "text", text: "90" }).state!; // now on question 2
    const back = reportStep(st, btn(st, "back"));
    expect(back.state).toMatchObject({ screen: "question", index: 0 });
    const keep = reportStep(back.state!, btn(back.state!, "keep"));
    expect(keep.state).toMatchObject({ index: 1 });
    expect(keep.store).toBeUndefined();
    // keep without a stored value does nothing but answer the button
    const noKeep = reportStep(st, btn(st, "keep"));
    expect(noKeep.state).toBe(st);
    expect(types(noKeep.effects)).toEqual(["callback:ok"]);
    // a required indicator cannot be skipped
    const noSkip = reportStep(st, btn(st, "skip"));
    expect(types(noSkip.effects)).toEqual(["callback:ok", "notice:cannot_skip", "screen"]);
    const on3 = reportStep(st, { type: "text", text: "83,6" }).state!;
    const skip = reportStep(on3, btn(on3, "skip"));
    expect(skip.store).toEqual({ indicatorId: 13, value: { kind: "skipped" } });
    expect(types(skip.effects)).toEqual(["callback:ok", "notice:skipped", "screen"]);
    const pause = reportStep(on3, btn(on3, "pause"));
    expect(pause.state).toBeNull();
    expect(types(pause.effects)).toEqual(["callback:ok", "notice:paused"]);
    expect(reportStep(on3, { type: "pause" }).state).toBeNull();
    // an unknown action of the current screen only answers the button
    expect(types(reportStep(on3, btn(on3, "submit")).effects)).toEqual(["callback:ok"]);
  });

  it("old buttons, foreign buttons, /baocao and attachments", () => {
    const st = started();
    const stale = reportStep(st, { ...btn(st, "back"), step: st.step - 1 });
    expect(stale.state).toBe(st);
    expect(types(stale.effects)).toEqual(["callback:stale"]);
    expect(types(reportStep(st, { ...btn(st, "back"), conv: "old" }).effects)).toEqual(["callback:stale"]);
    expect(types(reportStep(st, { type: "foreign_button" }).effects)).toEqual(["callback:stale"]);
    const reshow = reportStep(st, { type: "reshow" });
    expect(reshow.state).toMatchObject({ screen: "question", index: 0, step: st.step + 1 });
    expect(types(reportStep(st, { type: "attachment" }).effects)).toEqual(["notice:no_attachments", "screen"]);
  });

  it("a forwarded message or an edit is never an answer: a hint and the same question", () => {
    const st = started();
    for (const type of ["forwarded", "edited"] as const) {
      const r = reportStep(st, { type });
      expect(r.store).toBeUndefined();
      expect(types(r.effects)).toEqual([`notice:${type}`, "screen"]);
      expect(r.state).toMatchObject({ screen: "question", index: 0 });
    }
    const far = reportStep(st, { type: "text", text: "5000" }).state!;
    expect(reportStep(far, { type: "edited" }).state).toMatchObject({ screen: "question", index: 0 });
  });
});

describe("storing fails", () => {
  const st = started();
  it("locked or no longer a secretary ends the conversation", () => {
    expect(reportStep(st, { type: "store_failed", reason: "locked" })).toMatchObject({
      state: null,
      effects: [{ type: "notice", notice: { code: "locked" } }],
    });
    expect(reportStep(st, { type: "store_failed", reason: "not_allowed" }).effects).toEqual([
      { type: "notice", notice: { code: "not_secretary" } },
    ]);
  });
  it("a database error or a concurrent change keeps the state and says it was not saved", () => {
    for (const reason of ["error", "conflict"] as const) {
      const r = reportStep(st, { type: "store_failed", reason });
      expect(r.state).toBe(st);
      expect(types(r.effects)).toEqual(["notice:save_failed"]);
    }
  });
});

describe("the review", () => {
  const answered = { "11": { kind: "number" as const, value: 90 }, "12": { kind: "number" as const, value: 80 } };
  const onReview = () => started({ values: answered, status: "submitted", revision: 1 });

  it("the last answer leads to the review, which reloads what is stored", () => {
    const st = started({ values: { ...answered, "13": { kind: "skipped" } } });
    const r = reportStep(st, { type: "text", text: "Không có" });
    expect(r.state?.screen).toBe("review");
    expect(r.reloadValues).toBe(true);
  });

  it("text, attachments and /baocao show the review again", () => {
    const st = onReview();
    expect(types(reportStep(st, { type: "text", text: "xin chào" }).effects)).toEqual([
      "notice:review_footer",
      "screen",
    ]);
    expect(types(reportStep(st, { type: "attachment" }).effects)).toEqual(["notice:no_attachments", "screen"]);
    expect(types(reportStep(st, { type: "reshow" }).effects)).toEqual(["screen"]);
    expect(types(reportStep(st, { type: "forwarded" }).effects)).toEqual(["notice:forwarded", "screen"]);
    expect(reportStep(st, { type: "edited" }).state?.screen).toBe("review");
    expect(types(reportStep(st, btn(st, "pick")).effects)).toEqual(["callback:ok"]);
  });

  it("edit → choose → pick edits one indicator and comes back to the review", () => {
    const st = onReview();
    const choose = reportStep(st, btn(st, "edit")).state!;
    expect(choose.screen).toBe("choose");
    const picked = reportStep(choose, btn(choose, "pick", 2)).state!;
    expect(picked).toMatchObject({ screen: "question", index: 2, reviewAfter: true });
    const stored = reportStep(picked, { type: "text", text: "4" });
    expect(stored.state).toMatchObject({ screen: "review", reviewAfter: false });
    // an out-of-range pick, another button, text or an attachment: back to the review
    expect(reportStep(choose, btn(choose, "pick", 9)).state?.screen).toBe("review");
    expect(reportStep(choose, btn(choose, "review")).state?.screen).toBe("review");
    expect(types(reportStep(choose, { type: "attachment" }).effects)).toEqual(["notice:no_attachments", "screen"]);
  });

  it("submit with required answers missing goes to the first missing one", () => {
    const st = started({ values: { "11": { kind: "number", value: 1 } }, status: "submitted" });
    const r = reportStep(st, btn(st, "submit"));
    expect(r.submit).toBeUndefined();
    expect(types(r.effects)).toEqual(["callback:ok", "notice:missing_required", "screen"]);
    expect(r.state).toMatchObject({ screen: "question", index: 1 });
  });

  it("submit asks the loop to submit, then follows the outcome", () => {
    const st = onReview();
    const r = reportStep(st, btn(st, "submit"));
    expect(r.submit).toEqual({ revision: 1 });
    const ok: SubmitOutcome = {
      ok: true,
      revision: 2,
      late: false,
      submittedAt: 5,
      correctableUntil: 9,
      session: st.session,
    };
    expect(reportStep(st, { type: "submitted", outcome: ok })).toMatchObject({
      state: null,
      effects: [
        { type: "notice", notice: { code: "submitted", at: 5, late: false, revision: 2, correctableUntil: 9 } },
      ],
    });
    const fresh = { ...st.session, revision: 2 };
    const stale = reportStep(st, { type: "submitted", outcome: { ok: false, code: "stale", session: fresh } });
    expect(types(stale.effects)).toEqual(["notice:submitted_by_other", "screen"]);
    expect(stale.state?.session.revision).toBe(2);
    const missing = reportStep(started({ status: "submitted" }), {
      type: "submitted",
      outcome: { ok: false, code: "missing_required", missing: 2 },
    });
    expect(missing.state).toMatchObject({ screen: "question", index: 0 });
    const allMissing = reportStep(st, {
      type: "submitted",
      outcome: { ok: false, code: "missing_required", missing: 1 },
    });
    expect(allMissing.state?.screen).toBe("question");
    const full = started({
      values: { ...answered, "13": { kind: "skipped" }, "14": { kind: "skipped" } },
      status: "submitted",
    });
    expect(
      reportStep(full, { type: "submitted", outcome: { ok: false, code: "missing_required", missing: 1 } }).state
        ?.screen,
    ).toBe("review");
    expect(reportStep(st, { type: "submitted", outcome: { ok: false, code: "locked" } }).state).toBeNull();
    expect(reportStep(st, { type: "submitted", outcome: { ok: false, code: "not_allowed" } }).effects).toEqual([
      { type: "notice", notice: { code: "not_secretary" } },
    ]);
    expect(types(reportStep(st, { type: "submit_failed" }).effects)).toEqual(["notice:save_failed", "screen"]);
  });
});

describe("what the loop sends", () => {
  const sent = (effects: Effect[]) =>
    outgoing(effects).map((o) =>
      o.type === "screen" && o.ack ? `screen+${o.ack.code}` : o.type === "notice" ? `notice:${o.notice.code}` : o.type,
    );

  it("an answer, a skip, a confirmed far value and the last answer: one message with the next screen", () => {
    const st = started();
    expect(sent(reportStep(st, { type: "text", text: "120" }).effects)).toEqual(["screen+saved"]);
    const far = reportStep(st, { type: "text", text: "5000" }).state!;
    expect(sent(reportStep(far, btn(far, "confirm")).effects)).toEqual(["callback", "screen+saved"]);
    const on3 = reportStep(reportStep(st, { type: "text", text: "90" }).state!, { type: "text", text: "80" }).state!;
    expect(sent(reportStep(on3, btn(on3, "skip")).effects)).toEqual(["callback", "screen+skipped"]);
    const last = started({ values: { "11": { kind: "number", value: 90 }, "12": { kind: "number", value: 80 } } });
    const on4 = reportStep(last, btn(last, "skip")).state!;
    const toReview = reportStep(on4, { type: "text", text: "Không có" });
    expect(toReview.state?.screen).toBe("review");
    expect(sent(toReview.effects)).toEqual(["screen+saved"]);
  });

  it("the header, hints and refusals stay messages of their own", () => {
    expect(sent(startReport(session(), "abc").effects)).toEqual(["header", "screen"]);
    const st = started();
    expect(sent(reportStep(st, { type: "text", text: "mười hai" }).effects)).toEqual(["notice:retry", "screen"]);
    expect(sent(reportStep(st, { type: "edited" }).effects)).toEqual(["notice:edited", "screen"]);
    expect(sent(reportStep(st, { type: "pause" }).effects)).toEqual(["notice:paused"]);
    // an acknowledgement with no screen after it (never produced by the step) is still sent
    expect(sent([{ type: "notice", notice: { code: "skipped", indicatorId: 11 } }])).toEqual(["notice:skipped"]);
  });
});
