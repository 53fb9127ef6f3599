// /moi <board code> [thuky|lanhdao] | cumtruong [board] | cumpho: a chair creates a
// one-time invitation link (`chair`, `deputy`, `secretary`, `leader` still accepted).
// Inviting a new chair or deputy hands the role over when the invitation is accepted.
import { Composer } from "grammy";
import type { Repositories } from "../../db/index.ts";
import { parseInviteArgs } from "../../domain/members.ts";
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
    const parsed = parseInviteArgs(ctx.match);
    if (!parsed.ok) {
      const e = parsed.error;
      await ctx.reply(e.code === "bad_role" ? vi.invitations.badRole(e.word) : vi.invitations.usage, HTML);
      return;
    }
    const { role } = parsed.value;
    let boardCode: string | undefined;
    if (parsed.value.boardCode !== null) {
      const typed = parsed.value.boardCode;
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
      role,
      boardCode,
      createdByPersonId: ctx.actor!.person.id,
      botUsername: ctx.me.username,
    });
    if (!res.ok) {
      await ctx.reply(vi.invitations.usage, HTML);
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
