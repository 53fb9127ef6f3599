// /moi <board code> [thuky|lanhdao] | cumtruong [board code] | cumpho: a chair creates a
// one-time invitation link (chair, deputy, secretary, leader still accepted). A new chair
// or deputy takes over from the previous one when the invitation is accepted.
import { Composer } from "grammy";
import type { Repositories } from "../../db/index.ts";
import { parseInviteTarget } from "../../domain/chat-words.ts";
import type { Services } from "../../services/index.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { commandScope } from "../scope.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createInviteFeature(deps: { services: Services; repos: Repositories }) {
  const { services, repos } = deps;
  const feature = new Composer<BotContext>();

  feature.command("moi", async (ctx) => {
    const scope = await commandScope(ctx, repos);
    if (!scope?.roles.includes("chair")) {
      await ctx.reply(scope ? vi.invite.chairOnly : vi.common.refused, HTML);
      return;
    }
    // A link posted in a group could be used by anyone there.
    if (ctx.chat.type !== "private") {
      await ctx.reply(vi.common.privateOnly, HTML);
      return;
    }
    const target = parseInviteTarget(ctx.match);
    if (!target) {
      await ctx.reply(vi.invite.usage, HTML);
      return;
    }
    let boardCode: string | undefined;
    if (target.board !== null) {
      const typed = target.board;
      const boards = await repos.clusters.boards(scope.cluster.id);
      const board = boards.find((b) => b.code.toLowerCase() === typed.toLowerCase());
      if (!board) {
        await ctx.reply(vi.invite.unknownBoard(typed, boards.map((b) => b.code).join(", ")), HTML);
        return;
      }
      boardCode = board.code;
    }
    const res = await services.invitations.create({
      clusterCode: scope.cluster.code,
      role: target.role,
      boardCode,
      createdByPersonId: ctx.actor!.person.id,
      botUsername: ctx.me.username,
    });
    if (!res.ok) {
      await ctx.reply(vi.invite.usage, HTML);
      return;
    }
    const inv = res.value;
    const text = vi.invite.created(
      inv.role,
      inv.board?.name ?? null,
      inv.link,
      vi.dateTime(inv.expiresAt, scope.cluster.timezone),
    );
    await ctx.reply(inv.role === "chair" ? `${text}\n${vi.invitations.handoverNote}` : text, HTML);
  });

  return feature;
}
