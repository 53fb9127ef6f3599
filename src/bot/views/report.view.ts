// Pure renderers for the report conversation: session data in, text and buttons out.
import { InlineKeyboard } from "grammy";
import { formatNumberVi } from "../../domain/number.ts";
import { quarterEndLocal, quarterStartLocal } from "../../domain/period.ts";
import type { AnswerValue } from "../../domain/types.ts";
import { canSkip } from "../../domain/validate.ts";
import type { IndicatorDto, OpenRefusal, ReportSession } from "../../services/report.service.ts";
import { missingRequired } from "../../services/report.service.ts";
import { MAX_MESSAGE_LENGTH, truncate } from "../html.ts";
import * as vi from "../locales/vi.ts";

export interface View {
  text: string;
  keyboard?: InlineKeyboard;
}

/** Callback data of the report buttons: `rp:<conversation id>:<step>:<action>[:<arg>]` (≤ 64 bytes). */
export function reportCallback(convId: string, step: number, action: string, arg?: number): string {
  return `rp:${convId}:${step}:${action}${arg === undefined ? "" : `:${arg}`}`;
}

export function parseReportCallback(
  data: string,
): { convId: string; step: number; action: string; arg: number | undefined } | null {
  const m = /^rp:([a-z0-9]{1,12}):(\d{1,6}):([a-z]{1,10})(?::(\d{1,4}))?$/.exec(data);
  if (!m) return null;
  return { convId: m[1]!, step: Number(m[2]), action: m[3]!, arg: m[4] === undefined ? undefined : Number(m[4]) };
}

/**
 * Free text is shown cut to this many characters (UTF-16 units, as Telegram counts); the whole
 * text is stored. Two answers of 2,000 characters (or 2,000 emoji, 4,000 units) would not fit
 * one 4,096-character review message, which Telegram refuses.
 */
export const TEXT_PREVIEW = 200;

export function formatValue(
  v: AnswerValue | undefined,
  indicator?: Pick<IndicatorDto, "kind">,
  preview = TEXT_PREVIEW,
): string | null {
  if (!v) return null;
  if (v.kind === "skipped") return vi.report.skippedValue;
  if (v.kind === "text") return truncate(v.value, preview);
  return indicator?.kind === "percent" ? `${formatNumberVi(v.value)}%` : formatNumberVi(v.value);
}

/**
 * The opening screen: the board, the days the figures cover (the quarter: the cluster file sets no other
 * cut-off), the deadline with its working-day move, and after the deadline what a submission means now.
 */
export function headerView(s: ReportSession, now: number): View {
  const answered = s.indicators.filter((i) => s.values[String(i.id)]).length;
  const moved = s.header?.deadlineMovedFrom;
  const unlockedUntil = s.header?.unlockedUntil;
  return {
    text: vi.report.header({
      ref: s.ref,
      boardName: s.boardName,
      dataFrom: vi.localDate(quarterStartLocal(s.ref)),
      dataTo: vi.localDate(quarterEndLocal(s.ref)),
      deadline: vi.dateTime(s.deadline, s.tz),
      left: vi.timeLeft(s.deadline, now),
      moved: moved ? vi.movedFrom(new Date(moved.at), s.tz, moved.reason) : "",
      overdue: now >= s.deadline,
      total: s.indicators.length,
      answered,
      correcting: s.status === "submitted",
      unlockedUntil: unlockedUntil === undefined ? null : vi.dateTime(unlockedUntil, s.tz),
    }),
  };
}

export function questionView(s: ReportSession, index: number, convId: string, step: number): View {
  const ind = s.indicators[index]!;
  const current = s.values[String(ind.id)];
  const previous = s.previous[String(ind.id)];
  const text = vi.report.question({
    index,
    total: s.indicators.length,
    label: ind.label,
    unit: ind.unit,
    help: ind.help,
    required: ind.required,
    kindHint: vi.report.kindHint[ind.kind],
    previous: formatValue(previous, ind),
    current: formatValue(current, ind),
  });
  const kb = new InlineKeyboard();
  if (current) kb.text(vi.report.buttons.keep, reportCallback(convId, step, "keep"));
  if (canSkip(ind)) kb.text(vi.report.buttons.skip, reportCallback(convId, step, "skip"));
  if (current || canSkip(ind)) kb.row(); // no empty first row
  if (index > 0) kb.text(vi.report.buttons.back, reportCallback(convId, step, "back"));
  kb.text(vi.report.buttons.pause, reportCallback(convId, step, "pause"));
  return { text, keyboard: kb };
}

/**
 * An acknowledgement ("💾 Đã lưu: …") put on top of the screen it leads to, as one message with the
 * screen's buttons; two messages only when together they would pass Telegram's limit.
 */
export function withAck(ack: string, view: View): View[] {
  const text = `${ack}\n\n${view.text}`;
  return text.length <= MAX_MESSAGE_LENGTH ? [{ ...view, text }] : [{ text: ack }, view];
}

export function farConfirmView(value: string, previous: string, convId: string, step: number): View {
  return {
    text: vi.report.farConfirm(value, previous),
    keyboard: new InlineKeyboard()
      .text(vi.report.buttons.confirmFar(value), reportCallback(convId, step, "confirm"))
      .row()
      .text(vi.report.buttons.retype, reportCallback(convId, step, "retype")),
  };
}

export function reviewView(s: ReportSession, convId: string, step: number): View {
  const linesWith = (preview: number) =>
    s.indicators.map((ind, n) => {
      const v = s.values[String(ind.id)];
      // a percent value carries its "%" already; "bỏ qua" takes no unit
      const unit = ind.kind === "percent" || v?.kind === "skipped" ? "" : ind.unit;
      return vi.report.reviewLine(n + 1, ind.label, formatValue(v, ind, preview), unit);
    });
  // many long answers: shorter previews, so that the review stays one message
  let lines = linesWith(TEXT_PREVIEW);
  if (lines.join("\n").length > MAX_MESSAGE_LENGTH - 600) lines = linesWith(40);
  const missing = missingRequired(s).length;
  const kb = new InlineKeyboard()
    .text(
      s.status === "submitted" ? vi.report.buttons.resubmit : vi.report.buttons.submit,
      reportCallback(convId, step, "submit"),
    )
    .row()
    .text(vi.report.buttons.edit, reportCallback(convId, step, "edit"))
    .text(vi.report.buttons.pause, reportCallback(convId, step, "pause"));
  return {
    text: [vi.report.reviewTitle(s.ref, s.boardName), "", ...lines, "", vi.report.reviewFooter(missing)].join("\n"),
    keyboard: kb,
  };
}

export function chooseIndicatorView(s: ReportSession, convId: string, step: number): View {
  const kb = new InlineKeyboard();
  s.indicators.forEach((_, n) => {
    kb.text(String(n + 1), reportCallback(convId, step, "pick", n));
    if ((n + 1) % 6 === 0 && n + 1 < s.indicators.length) kb.row();
  });
  kb.row().text(vi.report.buttons.backToReview, reportCallback(convId, step, "review"));
  return { text: vi.report.chooseIndicator, keyboard: kb };
}

export function refusalView(r: OpenRefusal): View {
  switch (r.code) {
    case "not_secretary":
      return { text: vi.report.notSecretary };
    case "no_open_period":
      return { text: vi.report.noOpenPeriod(r.next, r.opensAt === null ? null : vi.dateTime(r.opensAt, r.tz)) };
    case "locked":
      return { text: vi.report.locked(r.ref, vi.dateTime(r.deadline, r.tz)) };
    case "not_taking_part":
      return { text: vi.report.notTakingPart(r.ref) };
  }
}
