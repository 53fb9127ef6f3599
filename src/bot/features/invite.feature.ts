// /moi <board code> [thuky|lanhdao] | cumtruong [board code] | cumpho: a chair creates a
// one-time invitation link (chair, deputy, secretary, leader still accepted). A new chair
// or deputy takes over from the previous one when the invitation is accepted.
import { Composer } from "grammy";
import { parseInviteTarget } from "../../domain/chat-words.ts";
import type { Services } from "../../services/index.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { commandScope } from "../scope.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createInviteFeature(deps: { services: Services }) {
  const { services } = deps;
  const feature = new Composer<BotContext>();

  feature.command("moi", async (ctx) => {
    const scope = await commandScope(ctx, services.access);
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
    const res = await services.invitations.create({
      clusterCode: scope.cluster.code,
      role: target.role,
      boardCode: target.board ?? undefined,
      createdByPersonId: ctx.actor!.person.id,
      botUsername: ctx.me.username,
    });
    if (!res.ok) {
      const e = res.error;
      await ctx.reply(
        e.code === "unknown_board" ? vi.invite.unknownBoard(e.board, e.codes.join(", ")) : vi.invite.usage,
        HTML,
      );
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
