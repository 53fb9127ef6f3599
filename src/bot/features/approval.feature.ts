// Ký duyệt in the chat: a board leader's [Duyệt] / [Trả lại kèm lý do] buttons (on the
// request sent at submission, or listed again by /duyet), and the reason typed after
// "Trả lại" (kept per chat until it comes, /huy drops it).
import { Composer } from "grammy";
import type { DecisionError } from "../../services/approval.service.ts";
import type { Services } from "../../services/index.ts";
import { APPROVAL_CALLBACK } from "../../services/messenger.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { keyboardOf } from "../messenger.ts";
import { commandScope } from "../scope.ts";
import { noticeButtons, noticeText } from "../views/notice.view.ts";

const HTML = { parse_mode: "HTML" } as const;
const MAX_REASON = 500;

function errorText(e: DecisionError): string {
  return e.code === "not_leader" ? vi.approval.notLeader : vi.approval.stale;
}

export function createApprovalFeature(deps: { services: Services }) {
  const { services } = deps;
  const feature = new Composer<BotContext>();
  const priv = feature.chatType("private");

  // The reason a leader types after "Trả lại": only leaders' chats are looked up.
  priv.on("message:text", async (ctx, next) => {
    const isLeader = ctx.actor?.clusters.some((c) => c.roles.includes("leader"));
    if (!isLeader) return next();
    const pending = await services.approvals.pendingReturn(ctx.chat.id);
    if (!pending) return next();
    const text = ctx.message.text.trim();
    if (text.startsWith("/")) {
      if (text.split(/[\s@]/)[0]?.toLowerCase() !== "/huy") return next();
      await services.approvals.dropPendingReturn(ctx.chat.id);
      await ctx.reply(vi.approval.reasonCancelled, HTML);
      return;
    }
    if (!text) {
      await ctx.reply(vi.approval.reasonEmpty, HTML);
      return;
    }
    await services.approvals.dropPendingReturn(ctx.chat.id);
    const res = await services.approvals.decide({
      reportId: pending.reportId,
      revision: pending.revision,
      personId: ctx.actor!.person.id,
      decision: "returned",
      reason: text.slice(0, MAX_REASON),
    });
    await ctx.reply(res.ok ? vi.approval.returned(res.value.boardName, res.value.ref) : errorText(res.error), HTML);
  });

  feature.command("duyet", async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!scope?.roles.includes("leader")) {
      await ctx.reply(scope ? vi.approval.leaderOnly : vi.common.refused, HTML);
      return;
    }
    if (ctx.chat.type !== "private") {
      await ctx.reply(vi.common.privateOnly, HTML);
      return;
    }
    if (!scope.cluster.approvalRequired) {
      await ctx.reply(vi.approval.off, HTML);
      return;
    }
    const waiting = await services.approvals.waiting(ctx.actor!.person.id);
    if (waiting.length === 0) {
      await ctx.reply(vi.approval.noneWaiting, HTML);
      return;
    }
    for (const n of waiting) {
      const kb = keyboardOf(noticeButtons(n));
      await ctx.reply(noticeText(n), { ...HTML, ...(kb ? { reply_markup: kb } : {}) });
    }
  });

  priv.callbackQuery(APPROVAL_CALLBACK.pattern, async (ctx) => {
    if (!ctx.actor?.clusters.length) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    const reportId = Number(ctx.match[2]);
    const revision = Number(ctx.match[3]);
    const personId = ctx.actor.person.id;
    if (ctx.match[1] === "ok") {
      const res = await services.approvals.decide({ reportId, revision, personId, decision: "approved", reason: null });
      if (!res.ok) {
        await ctx.answerCallbackQuery({ text: errorText(res.error) });
        return;
      }
      await ctx.answerCallbackQuery();
      await ctx.reply(vi.approval.approved(res.value.boardName, res.value.ref), HTML);
      return;
    }
    const res = await services.approvals.check(reportId, revision, personId);
    if (!res.ok) {
      await ctx.answerCallbackQuery({ text: errorText(res.error) });
      return;
    }
    await services.approvals.awaitReturnReason(ctx.chat.id, { reportId, revision });
    await ctx.answerCallbackQuery();
    await ctx.reply(vi.approval.askReason(res.value.boardName, res.value.ref), HTML);
  });

  return feature;
}
