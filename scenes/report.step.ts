// The report conversation (/baocao) as a pure step function: (state, input) →
// { state, effects }. No Telegram, database or clock: the conversation loop
// (report.scene.ts) turns updates into inputs, performs the effects (renders and sends
// screens, stores answers, submits) and keeps the state.
//
// One question per indicator, back/skip/pause buttons, a confirmation for values far
// from last quarter, a review screen, submit. An answer is stored together with the
// state it leads to (`store`): when the store fails, the loop steps the state from
// before the answer with `store_failed` instead.
import { checkRules, type RuleViolation } from "../src/domain/rules.ts";
import type { AnswerValue, InputError } from "../src/domain/types.ts";
import { canSkip, isFarFromPrevious, validateAnswer } from "../src/domain/validate.ts";
import { missingRequired, type ReportSession, type SubmitOutcome } from "../src/services/report.service.ts";

export type Screen = "question" | "far" | "review" | "choose";

export interface ReportState {
  /** this conversation's id in button data: buttons of an earlier conversation are stale */
  conv: string;
  /** counts the screens with buttons shown: only the latest screen's buttons count */
  step: number;
  session: ReportSession;
  screen: Screen;
  /** the indicator asked (screens question and far) */
  index: number;
  /** a single indicator edited from the review screen: back to the review after it */
  reviewAfter: boolean;
  /** the typed value waiting for confirmation (screen far) */
  far?: AnswerValue | undefined;
}

export type StepInput =
  | { type: "text"; text: string }
  | { type: "button"; conv: string; step: number; action: string; arg?: number | undefined }
  /** button data that is not a report button of any conversation */
  | { type: "foreign_button" }
  /** /huy */
  | { type: "pause" }
  /** /baocao while the conversation runs: the current screen again */
  | { type: "reshow" }
  /** a photo, file, sticker…: never an answer */
  | { type: "attachment" }
  /** a forwarded message: never an answer (material from elsewhere must be typed, not passed on) */
  | { type: "forwarded" }
  /** an edit of a message already sent: not applied (the stored answer stays what was confirmed) */
  | { type: "edited" }
  | { type: "store_failed"; reason: "locked" | "not_allowed" | "conflict" | "error" | "duplicate" }
  | { type: "submitted"; outcome: SubmitOutcome }
  | { type: "submit_failed" };

export type Notice =
  | { code: "retry"; error: InputError }
  /** the answer (or, at submit, the report) breaks a rule between indicators */
  | { code: "rule"; violations: RuleViolation[] }
  | { code: "saved"; indicatorId: number; value: AnswerValue }
  | { code: "skipped"; indicatorId: number }
  | { code: "cannot_skip" }
  | { code: "no_attachments" }
  | { code: "forwarded" }
  | { code: "edited" }
  | { code: "save_failed" }
  | { code: "paused" }
  | { code: "locked" }
  | { code: "not_secretary" }
  | { code: "missing_required"; missing: number }
  | { code: "review_footer"; missing: number }
  | {
      code: "submitted";
      at: number;
      late: boolean;
      revision: number;
      correctableUntil: number | null;
      pendingApproval?: boolean;
    }
  | { code: "submitted_by_other" };

/** What the loop does, in order. Screens are rendered from the resulting state. */
export type Effect =
  /** answers the button press (stale: "this button is old") */
  { type: "callback"; stale: boolean } | { type: "header" } | { type: "screen" } | { type: "notice"; notice: Notice };

/**
 * What the loop sends, in order: the effects with each acknowledgement ("saved", "skipped")
 * put on the screen that follows it, so an answer on the happy path gets one message (the
 * acknowledgement and the next question, or the review). Other notices (a hint, a refusal)
 * stay messages of their own: they are what the person must read.
 */
export type Outgoing =
  | { type: "callback"; stale: boolean }
  | { type: "header" }
  | { type: "notice"; notice: Notice }
  | { type: "screen"; ack?: Notice | undefined };

const isAck = (n: Notice) => n.code === "saved" || n.code === "skipped";

/** The effects as messages: an acknowledgement directly followed by a screen rides on that screen. */
export function outgoing(effects: readonly Effect[]): Outgoing[] {
  const out: Outgoing[] = [];
  for (let k = 0; k < effects.length; k++) {
    const e = effects[k]!;
    const next = effects[k + 1];
    if (e.type === "notice" && isAck(e.notice) && next?.type === "screen") {
      out.push({ type: "screen", ack: e.notice });
      k++;
    } else {
      out.push(e);
    }
  }
  return out;
}

export interface StepResult {
  /** null: the conversation has ended */
  state: ReportState | null;
  effects: Effect[];
  /** an answer to store, in one transaction with `state` */
  store?: { indicatorId: number; value: AnswerValue } | undefined;
  /** submit the report (the loop steps again with the outcome) */
  submit?: { revision: number } | undefined;
  /** the review shows what is stored now: read the report's values before it is shown */
  reloadValues?: boolean | undefined;
}

/** The first unanswered indicator after `after`, else the first from the top; -1 when none. */
export function firstUnanswered(s: Pick<ReportSession, "indicators" | "values">, after = -1): number {
  const open = (i: number) => !s.values[String(s.indicators[i]!.id)];
  for (let i = after + 1; i < s.indicators.length; i++) if (open(i)) return i;
  for (let i = 0; i <= after && i < s.indicators.length; i++) if (open(i)) return i;
  return -1;
}

const notice = (n: Notice): Effect => ({ type: "notice", notice: n });
const SCREEN: Effect = { type: "screen" };

function show(state: ReportState, screen: Screen, patch: Partial<ReportState>, before: Effect[] = []): StepResult {
  const next: ReportState = { ...state, ...patch, screen, step: state.step + 1 };
  if (screen !== "far") delete next.far;
  return { state: next, effects: [...before, SCREEN], reloadValues: screen === "review" };
}

const question = (state: ReportState, index: number, before: Effect[] = []) =>
  show(state, "question", { index }, before);
const review = (state: ReportState, before: Effect[] = []) =>
  show(state, "review", { index: -1, reviewAfter: false }, before);
const end = (n: Notice, before: Effect[] = []): StepResult => ({ state: null, effects: [...before, notice(n)] });

/** Where to go after the question at `index` was answered, kept or skipped. */
function afterAnswer(state: ReportState, before: Effect[]): StepResult {
  const next = state.reviewAfter ? -1 : firstUnanswered(state.session, state.index);
  return next < 0 ? review(state, before) : question({ ...state, reviewAfter: false }, next, before);
}

/** The first screen of a conversation: the header, then the first open question (or the review). */
export function startReport(session: ReportSession, conv: string): StepResult {
  const state: ReportState = { conv, step: 0, session, screen: "question", index: 0, reviewAfter: false };
  const first = session.status === "submitted" ? -1 : firstUnanswered(session);
  const header: Effect[] = [{ type: "header" }];
  return first < 0 ? review(state, header) : question(state, first, header);
}

function storeAnswer(state: ReportState, value: AnswerValue, before: Effect[]): StepResult {
  const ind = state.session.indicators[state.index]!;
  const stored: ReportState = {
    ...state,
    session: { ...state.session, values: { ...state.session.values, [String(ind.id)]: value } },
  };
  const n: Notice =
    value.kind === "skipped" ? { code: "skipped", indicatorId: ind.id } : { code: "saved", indicatorId: ind.id, value };
  return { ...afterAnswer(stored, [...before, notice(n)]), store: { indicatorId: ind.id, value } };
}

/** The report's numbers by indicator code, with `value` put in for indicator `id` (the answer being typed). */
function numbersByCode(s: ReportSession, id?: number, value?: AnswerValue): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const ind of s.indicators) {
    const v = ind.id === id ? value : s.values[String(ind.id)];
    if (v?.kind === "number") out[ind.code] = v.value;
  }
  return out;
}

function onQuestion(state: ReportState, input: StepInput, before: Effect[]): StepResult {
  const s = state.session;
  const ind = s.indicators[state.index]!;
  switch (input.type) {
    case "reshow":
      return question(state, state.index, before);
    case "attachment":
      return question(state, state.index, [...before, notice({ code: "no_attachments" })]);
    case "forwarded":
    case "edited":
      return question(state, state.index, [...before, notice({ code: input.type })]);
    case "text": {
      const parsed = validateAnswer(input.text, ind);
      if (!parsed.ok) return question(state, state.index, [...before, notice({ code: "retry", error: parsed.error })]);
      const broken = checkRules(s.rules ?? [], numbersByCode(s, ind.id, parsed.value), ind.code);
      if (broken.length > 0)
        return question(state, state.index, [...before, notice({ code: "rule", violations: broken })]);
      const prev = s.previous[String(ind.id)];
      if (
        parsed.value.kind === "number" &&
        prev?.kind === "number" &&
        isFarFromPrevious(parsed.value.value, prev.value)
      ) {
        return show(state, "far", { far: parsed.value }, before);
      }
      return storeAnswer(state, parsed.value, before);
    }
    case "button":
      switch (input.action) {
        case "back":
          return question(state, Math.max(0, state.index - 1), before);
        case "keep":
          return s.values[String(ind.id)] ? afterAnswer(state, before) : { state, effects: before };
        case "skip":
          if (!canSkip(ind)) return question(state, state.index, [...before, notice({ code: "cannot_skip" })]);
          return storeAnswer(state, { kind: "skipped" }, before);
        default:
          return { state, effects: before };
      }
    default:
      return { state, effects: before };
  }
}

function onFar(state: ReportState, input: StepInput, before: Effect[]): StepResult {
  if (input.type === "button" && input.action === "confirm" && state.far) return storeAnswer(state, state.far, before);
  if (input.type === "button" && input.action === "retype") return question(state, state.index, before);
  // anything else is taken as on the question: a new value typed, /baocao, a photo
  return onQuestion({ ...state, screen: "question" }, input, before);
}

function onReview(state: ReportState, input: StepInput, before: Effect[]): StepResult {
  const s = state.session;
  if (input.type === "text")
    return review(state, [...before, notice({ code: "review_footer", missing: missingRequired(s).length })]);
  if (input.type === "attachment") return review(state, [...before, notice({ code: "no_attachments" })]);
  if (input.type === "forwarded" || input.type === "edited")
    return review(state, [...before, notice({ code: input.type })]);
  if (input.type !== "button") return review(state, before);
  if (input.action === "edit") return show(state, "choose", {}, before);
  if (input.action === "submit") {
    const missing = missingRequired(s);
    if (missing.length > 0) {
      return question(state, s.indicators.indexOf(missing[0]!), [
        ...before,
        notice({ code: "missing_required", missing: missing.length }),
      ]);
    }
    // Checked again at submit: a colleague may have changed the other side of a rule.
    const broken = checkRules(s.rules ?? [], numbersByCode(s));
    if (broken.length > 0) {
      const first = s.indicators.findIndex((i) => i.code === broken[0]!.rule.left);
      return question(state, Math.max(0, first), [...before, notice({ code: "rule", violations: broken })]);
    }
    return { state, effects: before, submit: { revision: s.revision } };
  }
  return { state, effects: before };
}

function onChoose(state: ReportState, input: StepInput, before: Effect[]): StepResult {
  if (input.type === "button" && input.action === "pick" && input.arg !== undefined) {
    if (input.arg < state.session.indicators.length) {
      return question({ ...state, reviewAfter: true }, input.arg, before);
    }
  }
  if (input.type === "attachment") return review(state, [...before, notice({ code: "no_attachments" })]);
  return review(state, before);
}

function onSubmitted(state: ReportState, out: SubmitOutcome): StepResult {
  if (out.ok) {
    return end({
      code: "submitted",
      at: out.submittedAt,
      late: out.late,
      revision: out.revision,
      correctableUntil: out.correctableUntil,
      ...(out.pendingApproval ? { pendingApproval: true } : {}),
    });
  }
  switch (out.code) {
    case "stale":
      return review({ ...state, session: out.session }, [notice({ code: "submitted_by_other" })]);
    case "missing_required": {
      const first = firstUnanswered(state.session);
      const n = notice({ code: "missing_required", missing: out.missing });
      return first < 0 ? review(state, [n]) : question(state, first, [n]);
    }
    case "locked":
      return end({ code: "locked" });
    case "not_allowed":
      return end({ code: "not_secretary" });
    case "conflict":
      return { state, effects: [notice({ code: "save_failed" })] };
    case "duplicate":
      return { state, effects: [] };
  }
}

/** One step of the conversation. */
export function reportStep(state: ReportState, input: StepInput): StepResult {
  switch (input.type) {
    case "store_failed":
      if (input.reason === "locked") return end({ code: "locked" });
      if (input.reason === "not_allowed") return end({ code: "not_secretary" });
      // a redelivered update that was applied before: nothing to say again
      if (input.reason === "duplicate") return { state, effects: [] };
      // not stored: the person is told and sends it again
      return { state, effects: [notice({ code: "save_failed" })] };
    case "submitted":
      return onSubmitted(state, input.outcome);
    case "submit_failed":
      return review(state, [notice({ code: "save_failed" })]);
    case "pause":
      return end({ code: "paused" });
    case "foreign_button":
      return { state, effects: [{ type: "callback", stale: true }] };
    default:
      break;
  }
  let before: Effect[] = [];
  if (input.type === "button") {
    if (input.conv !== state.conv || input.step !== state.step) {
      return { state, effects: [{ type: "callback", stale: true }] };
    }
    before = [{ type: "callback", stale: false }];
    if (input.action === "pause") return end({ code: "paused" }, before);
  }
  switch (state.screen) {
    case "question":
      return onQuestion(state, input, before);
    case "far":
      return onFar(state, input, before);
    case "review":
      return onReview(state, input, before);
    case "choose":
      return onChoose(state, input, before);
  }
}
