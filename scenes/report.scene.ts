// The report conversation (/baocao) as a thin loop around the pure step function
// (report.step.ts): an update becomes an input, the step gives the next state and the
// effects, the loop performs them — stores an answer together with the next state in
// one transaction, submits, renders and sends the screens — and keeps the state.
//
// The state is small (the session without its indicator set, which is cached by id)
// and stored per chat in the database, so a conversation survives a restart or a
// SIGKILL and continues in another instance. Writes are compare-and-set against the
// state that was read: two instances never both move one conversation. The state is
// written before anything is sent: a process killed in between has stored the answer
// and the question it leads to; the person sees nothing and /baocao shows where the
// report stands.
import type { Context, MiddlewareFn } from "grammy";
import type { Logger } from "pino";
import type { BotContext } from "../src/bot/context.ts";
import * as vi from "../src/bot/locales/vi.ts";
import {
  chooseIndicatorView,
  farConfirmView,
  formatValue,
  headerView,
  parseReportCallback,
  questionView,
  refusalView,
  reviewView,
  type View,
  withAck,
} from "../src/bot/views/report.view.ts";
import { formatNumberVi } from "../src/domain/number.ts";
import type { AnswerValue } from "../src/domain/types.ts";
import type { Clock } from "../src/services/clock.ts";
import type { IndicatorDto, ReportService, ReportSession } from "../src/services/report.service.ts";
import { type ConversationStore, reportConversationKey, type StateWrite } from "../src/services/update-state.ts";
import {
  type Effect,
  type Notice,
  outgoing,
  type ReportState,
  reportStep,
  type StepInput,
  type StepResult,
  startReport,
} from "./report.step.ts";

export const REPORT_SCENE = "report";
/** Bump when the stored state's shape changes: older states are dropped (the person types /baocao again). */
export const REPORT_STATE_VERSION = 5;

export interface ReportSceneDeps {
  reports: ReportService;
  store: ConversationStore;
  /** the application's clock (deadlines, "time left", submission times) */
  clock: Clock;
  logger: Logger;
  /** a conversation idle this long (wall-clock time) has ended */
  timeoutMs: number;
}

/** What is stored per chat: the state without the indicator set (looked up by id), and when it was last used. */
interface Stored {
  v: number;
  /** wall-clock ms of the last update the conversation took */
  at: number;
  state: Omit<ReportState, "session"> & { session: Omit<ReportSession, "indicators" | "header"> };
}

/** Refreshing the idle timer alone is worth a write only this often. */
const TOUCH_MS = 60_000;
const HTML = { parse_mode: "HTML" } as const;

/** What an update means to a running report conversation; null: not for it (passed on). */
export function inputOf(ctx: Context): StepInput | null {
  const cq = ctx.callbackQuery;
  if (cq) {
    const parsed = cq.data ? parseReportCallback(cq.data) : null;
    return parsed
      ? { type: "button", conv: parsed.convId, step: parsed.step, action: parsed.action, arg: parsed.arg }
      : { type: "foreign_button" };
  }
  if (ctx.editedMessage) return { type: "edited" };
  const msg = ctx.message;
  if (!msg) return null;
  if (msg.forward_origin) return { type: "forwarded" };
  const text = msg.text;
  if (text === undefined) return { type: "attachment" };
  if (text.startsWith("/")) {
    const command = text.slice(1).split(/[\s@]/)[0]?.toLowerCase();
    if (command === "huy") return { type: "pause" };
    if (command === "baocao") return { type: "reshow" };
    return null; // another command (/trangthai while reporting): the rest of the bot answers it
  }
  return { type: "text", text };
}

function noticeText(n: Notice, s: ReportSession): string {
  const label = (id: number) => s.indicators.find((i) => i.id === id)?.label ?? "";
  switch (n.code) {
    case "retry":
      return vi.report.retry(vi.inputError(n.error));
    case "rule":
      return vi.report.ruleBroken(
        n.violations.map((v) => ({
          op: v.rule.op,
          left: { label: label(s.indicators.find((i) => i.code === v.rule.left)?.id ?? -1), value: v.leftValue },
          right: v.rule.right.map((code, k) => ({
            label: label(s.indicators.find((i) => i.code === code)?.id ?? -1),
            value: v.rightValues[k] ?? 0,
          })),
          constant: v.rule.constant,
        })),
      );
    case "saved": {
      const ind = s.indicators.find((i) => i.id === n.indicatorId);
      return vi.report.saved(label(n.indicatorId), withUnit(n.value, ind));
    }
    case "skipped":
      return vi.report.skipped(label(n.indicatorId));
    case "cannot_skip":
      return vi.report.cannotSkip;
    case "no_attachments":
      return vi.common.noAttachments;
    case "forwarded":
      return vi.common.noForwards;
    case "edited":
      return vi.common.noEdits;
    case "save_failed":
      return vi.common.saveFailed;
    case "paused":
      return vi.report.paused;
    case "locked":
      return vi.report.locked(s.ref, vi.dateTime(s.deadline, s.tz));
    case "not_secretary":
      return vi.report.notSecretary;
    case "missing_required":
      return vi.report.missingRequired(n.missing);
    case "review_footer":
      return vi.report.reviewFooter(n.missing);
    case "submitted": {
      const text = vi.report.submitted(
        s.ref,
        vi.dateTime(n.at, s.tz),
        n.late,
        n.revision,
        n.correctableUntil === null ? null : vi.dateTime(n.correctableUntil, s.tz),
      );
      return n.pendingApproval ? `${text}\n${vi.approval.waiting}` : text;
    }
    case "submitted_by_other":
      return vi.report.submittedByOther;
  }
}

/** A value as the person reads it back: "1.560 người", "83,6%", a text as typed. */
function withUnit(v: AnswerValue, ind: IndicatorDto | undefined): string {
  const shown = formatValue(v, ind) ?? "";
  return v.kind === "number" && ind?.unit && ind.kind !== "percent" ? `${shown} ${ind.unit}` : shown;
}

function screenView(st: ReportState): View {
  const s = st.session;
  switch (st.screen) {
    case "question":
      return questionView(s, st.index, st.conv, st.step);
    case "far": {
      const ind = s.indicators[st.index]!;
      const prev = s.previous[String(ind.id)];
      const prevText = prev?.kind === "number" ? formatNumberVi(prev.value) : "";
      return farConfirmView(formatValue(st.far, ind) ?? "", prevText, st.conv, st.step);
    }
    case "review":
      return reviewView(s, st.conv, st.step);
    case "choose":
      return chooseIndicatorView(s, st.conv, st.step);
  }
}

export function createReportScene(deps: ReportSceneDeps) {
  const { reports, store, clock, logger, timeoutMs } = deps;
  const keyOf = (ctx: Context) => reportConversationKey(ctx.chat!.id);

  function serialize(state: ReportState): string {
    const { indicators: _, header: __, ...session } = state.session;
    const stored: Stored = { v: REPORT_STATE_VERSION, at: Date.now(), state: { ...state, session } };
    return JSON.stringify(stored);
  }

  /** The stored state, with its indicator set; null when there is none, it is outdated or idle too long. */
  async function load(raw: string): Promise<{ state: ReportState; at: number } | null> {
    let stored: Stored;
    try {
      stored = JSON.parse(raw) as Stored;
    } catch {
      return null;
    }
    if (stored.v !== REPORT_STATE_VERSION || Date.now() - stored.at > timeoutMs) return null;
    const indicators = await reports.indicators(stored.state.session.setId);
    if (!indicators) return null;
    return { state: { ...stored.state, session: { ...stored.state.session, indicators } }, at: stored.at };
  }

  async function send(ctx: Context, view: View): Promise<void> {
    await ctx.reply(view.text, { ...HTML, ...(view.keyboard ? { reply_markup: view.keyboard } : {}) });
  }

  async function perform(ctx: Context, effects: Effect[], state: ReportState | null, last: ReportState): Promise<void> {
    const shown = state ?? last;
    for (const e of outgoing(effects)) {
      if (e.type === "callback") {
        await ctx.answerCallbackQuery(e.stale ? { text: vi.common.staleButton } : undefined);
      } else if (e.type === "header") {
        await send(ctx, headerView(shown.session, clock.now().getTime()));
      } else if (e.type === "screen") {
        // an acknowledgement rides on the screen it leads to (one message per answer)
        const ack = e.ack ? noticeText(e.ack, shown.session) : undefined;
        if (state) {
          for (const view of ack ? withAck(ack, screenView(state)) : [screenView(state)]) await send(ctx, view);
        } else if (ack) {
          await send(ctx, { text: ack });
        }
      } else {
        await ctx.reply(noticeText(e.notice, shown.session), HTML);
      }
    }
  }

  /**
   * Performs one step: submits if asked, stores (answer and state in one transaction)
   * or writes the state, then sends what it shows.
   */
  async function run(
    ctx: Context,
    from: ReportState,
    raw: string | undefined,
    first: StepResult,
    at = 0,
  ): Promise<void> {
    const claim = (ctx as BotContext).updateClaim;
    let res = first;
    let effects = res.effects;
    let written = false;
    if (res.submit && res.state) {
      let input: StepInput;
      try {
        // a submission ends the conversation in its own transaction
        const end = { key: keyOf(ctx), expected: raw, value: null, claim };
        const outcome = await reports.submit(res.state.session, res.submit.revision, end);
        written = outcome.ok;
        input = { type: "submitted", outcome };
      } catch (err) {
        logger.error({ err }, "submitting a report failed");
        input = { type: "submit_failed" };
      }
      const after = reportStep(res.state, input);
      effects = [...effects, ...after.effects];
      res = after;
    }
    let state = res.state;
    const write = (target: ReportState): StateWrite => ({
      key: keyOf(ctx),
      claim,
      expected: raw,
      reloadValues: res.reloadValues ? { reportId: target.session.reportId } : undefined,
      value: (values) => {
        if (values) state = { ...target, session: { ...target.session, values } };
        return serialize(state!);
      },
    });
    if (res.store && state) {
      let outcome: Awaited<ReturnType<ReportService["answer"]>> | "error";
      try {
        outcome = await reports.answer(state.session, res.store.indicatorId, res.store.value, write(state));
      } catch (err) {
        logger.error({ err }, "storing an answer failed");
        outcome = "error";
      }
      if (outcome !== "ok") {
        const failed = reportStep(from, { type: "store_failed", reason: outcome });
        effects = [...effects.filter((e) => e.type === "callback"), ...failed.effects];
        res = failed;
        state = failed.state;
        if (state === from) {
          await perform(ctx, effects, state, from);
          return;
        }
      } else {
        await perform(ctx, effects, state, from);
        return;
      }
    }
    const unchanged = state !== null && raw !== undefined && state === from && Date.now() - at < TOUCH_MS;
    if (!unchanged && !written) {
      const outcome = await store.write(
        state ? write(state) : { key: keyOf(ctx), expected: raw, value: null, claim },
        clock.now(),
      );
      if (outcome === "duplicate") {
        effects = effects.filter((e) => e.type === "callback");
        state = from;
      } else if (outcome === "conflict") {
        // another instance moved this conversation meanwhile: nothing of this update applies
        logger.warn({ chat: ctx.chat?.id }, "report conversation changed concurrently; update not applied");
        effects = [
          ...effects.filter((e) => e.type === "callback"),
          { type: "notice", notice: { code: "save_failed" } },
        ];
        state = from;
      }
    }
    await perform(ctx, effects, state, from);
  }

  /** Passes every update of a chat with a running report conversation through the step function. */
  const middleware: MiddlewareFn<BotContext> = async (ctx, next) => {
    if (ctx.chat?.type !== "private" || !ctx.from) return next();
    const input = inputOf(ctx);
    if (!input) return next();
    const key = keyOf(ctx);
    const raw = await store.read(key);
    if (raw === undefined) return next();
    const loaded = await load(raw);
    // Outdated, idle too long, or the person is no longer a secretary of the board (removed,
    // handed over): the conversation has ended and the update goes to the rest of the bot,
    // which tells a removed person so and shows nothing of the report.
    if (!loaded || !(await reports.stillSecretary(loaded.state.session))) {
      await store.write({ key, expected: raw, value: null }, clock.now());
      return next();
    }
    await run(ctx, loaded.state, raw, reportStep(loaded.state, input), loaded.at);
  };

  /** Starts (or restarts) the report conversation of this chat for the person writing (of one of their boards). */
  async function enter(ctx: BotContext, boardId?: number): Promise<void> {
    const key = keyOf(ctx);
    const raw = await store.read(key);
    let opened: Awaited<ReturnType<ReportService["open"]>>;
    try {
      opened = await reports.open(ctx.actor, boardId);
    } catch (err) {
      logger.error({ err }, "opening a report failed");
      await ctx.reply(vi.common.saveFailed, HTML);
      return;
    }
    if (!opened.ok) {
      if (raw !== undefined) await store.write({ key, expected: raw, value: null }, clock.now());
      await send(ctx, refusalView(opened.refusal));
      return;
    }
    const conv = Math.random().toString(36).slice(2, 10);
    const started = startReport(opened.session, conv);
    await run(ctx, started.state!, raw, started);
  }

  return { middleware, enter };
}

export type ReportScene = ReturnType<typeof createReportScene>;
