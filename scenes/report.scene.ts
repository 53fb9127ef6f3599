// The guided quarterly report (/baocao): one question per indicator, back/skip/pause
// buttons, a confirmation for values far from last quarter, a review screen, submit.
//
// Our own tables are the record: every accepted answer is stored at once through the
// report service, and a new conversation always starts from what is stored (the first
// unanswered indicator). The conversation's replay log only holds this session's
// steps. Everything that touches the database or the clock goes through
// conversation.external() (with the application's clock), and returns plain JSON.
import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Logger } from "pino";
import type { BotContext, SceneContext } from "../src/bot/context.ts";
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
} from "../src/bot/views/report.view.ts";
import { formatNumberVi } from "../src/domain/number.ts";
import type { AnswerValue } from "../src/domain/types.ts";
import { isFarFromPrevious, validateAnswer } from "../src/domain/validate.ts";
import type { AccessService } from "../src/services/access.service.ts";
import type { Clock } from "../src/services/clock.ts";
import { missingRequired, type ReportService, type ReportSession } from "../src/services/report.service.ts";

export const REPORT_SCENE = "report";
/** Bump when the conversation's sequence of waits/externals changes (stored replays become invalid). */
export const REPORT_SCENE_VERSION = 4;
/** Updates one pass of the conversation takes before it starts afresh from what is stored (see `restart`). */
export const INPUTS_PER_PASS = 30;

export interface ReportSceneDeps {
  reports: ReportService;
  access: AccessService;
  /** the application's clock (conversation.now() is the system clock, which tests and `tick --at` replace) */
  clock: Clock;
  logger: Logger;
}

type Conv = Conversation<BotContext, SceneContext>;

/** What one incoming update means for the step we are waiting on. */
type Input =
  | { type: "text"; text: string }
  | { type: "button"; action: string; arg: number | undefined }
  | { type: "pause" }
  | { type: "reshow" }
  /** a photo, file, sticker…: not an answer */
  | { type: "attachment" };

const HTML = { parse_mode: "HTML" } as const;

async function show(ctx: Context, view: View): Promise<void> {
  await ctx.reply(view.text, { ...HTML, ...(view.keyboard ? { reply_markup: view.keyboard } : {}) });
}

/** Whether two sessions hold the same answer to one indicator. */
function sameValue(a: ReportSession["values"], b: ReportSession["values"], indicatorId: string): boolean {
  return JSON.stringify(a[indicatorId] ?? null) === JSON.stringify(b[indicatorId] ?? null);
}

/** The first unanswered indicator after `after`, else the first unanswered one from the top; -1 when none. */
function firstUnanswered(s: ReportSession, after = -1): number {
  const open = (i: number) => !s.values[String(s.indicators[i]!.id)];
  for (let i = after + 1; i < s.indicators.length; i++) if (open(i)) return i;
  for (let i = 0; i <= after && i < s.indicators.length; i++) if (open(i)) return i;
  return -1;
}

export function createReportScene(deps: ReportSceneDeps) {
  const { reports, access, clock, logger } = deps;

  /** Runs a service call, turning a thrown database error into a value the scene can answer. */
  function safely<T>(fn: () => Promise<T>): () => Promise<{ ok: true; value: T } | { ok: false }> {
    return async () => {
      try {
        return { ok: true, value: await fn() };
      } catch (err) {
        logger.error({ err }, "report step failed");
        return { ok: false };
      }
    };
  }

  return async function report(conversation: Conv, ctx: SceneContext): Promise<void> {
    const telegramId = String(ctx.from?.id ?? "");

    const opened = await conversation.external(
      safely(async () => {
        const actor = await access.byTelegramId(BigInt(telegramId));
        if (!actor) return { ok: false as const, refusal: { code: "not_secretary" as const } };
        return reports.open(actor.person.id);
      }),
    );
    if (!opened.ok) {
      await ctx.reply(vi.common.saveFailed, HTML);
      return;
    }
    if (!opened.value.ok) {
      await show(ctx, refusalView(opened.value.refusal));
      return;
    }
    let s = opened.value.session;
    await show(ctx, headerView(s, await conversation.external(() => clock.now().getTime())));

    // The replay log grows with every update the conversation takes, and every update
    // replays all of it: someone typing hundreds of wrong answers or pressing old
    // buttons would make each answer slower and the stored state larger (measured:
    // 1.6 kB and a few ms more per update). After INPUTS_PER_PASS updates the
    // conversation rewinds to here, which drops the log; the new pass starts from what
    // is stored, with a new conversation id so the buttons of the earlier pass are stale.
    const restart = conversation.checkpoint();
    const convId = (await conversation.random()).toString(36).slice(2, 10);
    let step = 0;
    let taken = 0;
    const current = await conversation.external(safely(() => reports.reload(s.personId, s.reportId)));
    if (current.ok && current.value) s = current.value;

    /** Called before a screen is shown: a pass that has taken enough updates starts afresh. */
    async function bounded(): Promise<void> {
      if (taken >= INPUTS_PER_PASS) await conversation.rewind(restart);
    }

    /**
     * Waits for the next update that means something for the current step. Commands
     * other than /huy and /baocao are passed on to the rest of the bot (e.g. /trangthai
     * while reporting) and the step keeps waiting.
     */
    async function next(): Promise<Input> {
      for (;;) {
        // stale buttons never leave this loop, so they are bounded here as well
        if (taken >= 2 * INPUTS_PER_PASS) await conversation.rewind(restart);
        const u = await conversation.wait();
        taken++;
        const cq = u.callbackQuery;
        if (cq) {
          const parsed = cq.data ? parseReportCallback(cq.data) : null;
          if (!parsed || parsed.convId !== convId || parsed.step !== step) {
            await u.answerCallbackQuery({ text: vi.common.staleButton });
            continue;
          }
          await u.answerCallbackQuery();
          if (parsed.action === "pause") return { type: "pause" };
          return { type: "button", action: parsed.action, arg: parsed.arg };
        }
        const text = u.message?.text;
        if (text === undefined) {
          if (u.message) return { type: "attachment" };
          await conversation.skip({ next: true });
        }
        if (text?.startsWith("/")) {
          const command = text.slice(1).split(/[\s@]/)[0]?.toLowerCase();
          if (command === "huy") return { type: "pause" };
          if (command === "baocao") return { type: "reshow" };
          await conversation.skip({ next: true });
        }
        return { type: "text", text: text ?? "" };
      }
    }

    async function save(indicatorIndex: number, text: string) {
      const ind = s.indicators[indicatorIndex]!;
      return conversation.external(safely(() => reports.answer(s.personId, s.reportId, ind.id, text)));
    }

    /**
     * Asks one indicator until it is answered, kept, skipped, or the person leaves.
     * Returns where to go next.
     */
    async function ask(index: number): Promise<"next" | "back" | "pause" | "locked" | "resync"> {
      const ind = s.indicators[index]!;
      for (;;) {
        await bounded();
        step++;
        await show(ctx, questionView(s, index, convId, step));
        let input = await next();
        for (;;) {
          if (input.type === "pause") return "pause";
          if (input.type === "reshow") break;
          if (input.type === "attachment") {
            // the hint, then the same question again (with fresh buttons)
            await ctx.reply(vi.common.noAttachments, HTML);
            break;
          }
          if (input.type === "button") {
            if (input.action === "back") return "back";
            if (input.action === "keep" && s.values[String(ind.id)]) return "next";
            if (input.action === "skip") {
              const res = await conversation.external(safely(() => reports.skip(s.personId, s.reportId, ind.id)));
              if (!res.ok) {
                await ctx.reply(vi.common.saveFailed, HTML);
                break;
              }
              if (!res.value.ok) {
                if (res.value.error.code === "locked") return "locked";
                await ctx.reply(vi.report.cannotSkip, HTML);
                break;
              }
              s = { ...s, values: res.value.values };
              await ctx.reply(vi.report.skipped(ind.label), HTML);
              return "next";
            }
            input = await next();
            continue;
          }
          // The conversation's state is written after its replies: a process killed in between
          // resumes one step behind what is stored and would take this answer (meant for the
          // next question) for the question it believes open, overwriting a confirmed answer.
          // If this person stored an answer to that question that this conversation does not
          // know, it is behind: nothing is saved, the secretary is asked where the stored report
          // stands. (Another secretary of the board may overwrite an answer: last one wins.)
          const stored = await conversation.external(safely(() => reports.reload(s.personId, s.reportId)));
          if (
            stored.ok &&
            stored.value &&
            stored.value.answeredBy?.[String(ind.id)] === s.personId &&
            !sameValue(stored.value.values, s.values, String(ind.id))
          ) {
            s = stored.value;
            await ctx.reply(vi.common.saveFailed, HTML);
            return "resync";
          }
          // typed text: validate here for a quick answer; the service validates again before storing
          const parsed = validateAnswer(input.text, ind);
          if (!parsed.ok) {
            await ctx.reply(vi.report.retry(vi.inputError(parsed.error)), HTML);
            break;
          }
          const prev = s.previous[String(ind.id)];
          if (
            parsed.value.kind === "number" &&
            prev?.kind === "number" &&
            isFarFromPrevious(parsed.value.value, prev.value)
          ) {
            step++;
            await show(ctx, farConfirmView(formatValue(parsed.value, ind)!, formatNumberVi(prev.value), convId, step));
            const answer = await next();
            if (answer.type === "button" && answer.action === "confirm") {
              // fall through to saving below
            } else if (answer.type === "button" && answer.action === "retype") {
              break;
            } else {
              input = answer;
              continue;
            }
          }
          const res = await save(index, input.text);
          if (!res.ok) {
            await ctx.reply(vi.common.saveFailed, HTML);
            input = await next();
            continue;
          }
          if (!res.value.ok) {
            const e = res.value.error;
            if (e.code === "locked") return "locked";
            if (e.code === "not_allowed" || e.code === "cannot_skip") return "pause";
            await ctx.reply(vi.report.retry(vi.inputError(e)), HTML);
            break;
          }
          s = { ...s, values: res.value.values };
          await ctx.reply(vi.report.saved(ind.label, formatValue(res.value.value as AnswerValue, ind)!), HTML);
          return "next";
        }
      }
    }

    async function locked(): Promise<void> {
      await ctx.reply(vi.report.locked(s.ref, vi.dateTime(s.deadline, s.tz)), HTML);
    }

    // Walk: unanswered indicators in order, then the review screen. `reviewAfter` is
    // set when a single indicator is edited from the review screen.
    let index = s.status === "submitted" ? -1 : firstUnanswered(s);
    let reviewAfter = false;
    for (;;) {
      if (index >= 0) {
        const outcome = await ask(index);
        if (outcome === "pause") {
          await ctx.reply(vi.report.paused, HTML);
          return;
        }
        if (outcome === "locked") return locked();
        if (outcome === "resync") {
          index = s.status === "submitted" ? -1 : firstUnanswered(s);
          reviewAfter = false;
          continue;
        }
        if (outcome === "back") {
          index = Math.max(0, index - 1);
          continue;
        }
        index = reviewAfter ? -1 : firstUnanswered(s, index);
        reviewAfter = false;
        continue;
      }

      // review screen: what is stored now (another secretary of the board may have answered meanwhile)
      await bounded();
      const fresh = await conversation.external(safely(() => reports.reload(s.personId, s.reportId)));
      if (fresh.ok && fresh.value) s = fresh.value;
      step++;
      await show(ctx, reviewView(s, convId, step));
      const input = await next();
      if (input.type === "pause") {
        await ctx.reply(vi.report.paused, HTML);
        return;
      }
      if (input.type === "reshow") continue;
      if (input.type === "attachment") {
        await ctx.reply(vi.common.noAttachments, HTML);
        continue;
      }
      if (input.type === "text") {
        await ctx.reply(vi.report.reviewFooter(missingRequired(s).length), HTML);
        continue;
      }
      if (input.action === "edit") {
        step++;
        await show(ctx, chooseIndicatorView(s, convId, step));
        const pick = await next();
        if (pick.type === "pause") {
          await ctx.reply(vi.report.paused, HTML);
          return;
        }
        if (pick.type === "attachment") await ctx.reply(vi.common.noAttachments, HTML);
        if (
          pick.type === "button" &&
          pick.action === "pick" &&
          pick.arg !== undefined &&
          pick.arg < s.indicators.length
        ) {
          index = pick.arg;
          reviewAfter = true;
        }
        continue;
      }
      if (input.action === "submit") {
        const missing = missingRequired(s);
        if (missing.length > 0) {
          await ctx.reply(vi.report.missingRequired(missing.length), HTML);
          index = s.indicators.indexOf(missing[0]!);
          continue;
        }
        const res = await conversation.external(safely(() => reports.submit(s.personId, s.reportId, s.revision)));
        if (!res.ok) {
          await ctx.reply(vi.common.saveFailed, HTML);
          continue;
        }
        const out = res.value;
        if (out.ok) {
          await ctx.reply(vi.report.submitted(s.ref, vi.dateTime(out.submittedAt, s.tz), out.late, out.revision), HTML);
          return;
        }
        if (out.code === "stale") {
          s = out.session;
          await ctx.reply(vi.report.submittedByOther, HTML);
          continue;
        }
        if (out.code === "missing_required") {
          await ctx.reply(vi.report.missingRequired(out.missing), HTML);
          index = firstUnanswered(s);
          continue;
        }
        if (out.code === "locked") return locked();
        await ctx.reply(vi.report.notSecretary, HTML);
        return;
      }
    }
  };
}
