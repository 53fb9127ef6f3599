// /moi <board code [thuky] | cumtruong | cumpho>: a chair creates a one-time invitation link
// (chair, deputy still accepted).
import { Composer } from "grammy";
import type { Repositories } from "../../db/index.ts";
import { parseInviteTarget } from "../../domain/chat-words.ts";
import type { Role } from "../../domain/types.ts";
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
    const arg = ctx.match.trim();
    if (!arg) {
      await ctx.reply(vi.invite.usage, HTML);
      return;
    }
    const target = parseInviteTarget(arg);
    // A board leader (lãnh đạo ban) is a role of the approval feature; until it exists, show the usage.
    if (!target || target.role === "leader") {
      await ctx.reply(vi.invite.usage, HTML);
      return;
    }
    const role: Role = target.role;
    let boardCode: string | undefined;
    if (target.role === "secretary") {
      const boards = await repos.clusters.boards(scope.cluster.id);
      const board = boards.find((b) => b.code.toLowerCase() === target.board.toLowerCase());
      if (!board) {
        await ctx.reply(vi.invite.unknownBoard(target.board, boards.map((b) => b.code).join(", ")), HTML);
        return;
      }
      boardCode = board.code;
    }
    const res = await services.invitations.create({
      clusterCode: scope.cluster.code,
      role,
      boardCode,
      createdByPersonId: ctx.actor!.person.id,
      botUsername: ctx.me.username,
    });
    if (!res.ok) {
      await ctx.reply(vi.invite.usage, HTML);
      return;
    }
    const inv = res.value;
    await ctx.reply(
      vi.invite.created(
        inv.role,
        inv.board?.name ?? null,
        inv.link,
        vi.dateTime(inv.expiresAt, scope.cluster.timezone),
      ),
      HTML,
    );
  });

  return feature;
}
