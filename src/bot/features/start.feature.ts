// /start with or without an invitation token, and choosing a cluster.
import { Composer, InlineKeyboard } from "grammy";
import type { Clock } from "../../services/clock.ts";
import type { Services } from "../../services/index.ts";
import type { CommandMenus } from "../commands.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { greetingView } from "../views/start.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createStartFeature(deps: { services: Services; clock: Clock; menus: CommandMenus }) {
  const { services, clock, menus } = deps;
  const feature = new Composer<BotContext>();
  const priv = feature.chatType("private");

  priv.command("start", async (ctx) => {
    const actor = ctx.actor!;
    const payload = ctx.match.trim();
    if (payload) {
      const res = await services.invitations.redeem(payload, actor.person.id);
      if (!res.ok) {
        if (res.reason === "already_holds") {
          // a real invitation, meant for someone else: it stays usable, and is no bad guess
          await ctx.reply(vi.invitations.alreadyHolds(res.role, res.board?.name ?? null, res.cluster.name), HTML);
          return;
        }
        const text = {
          slow_down: vi.start.invitationSlowDown,
          unknown: vi.start.invitationUnknown,
          used: vi.start.invitationUsed,
          expired: vi.start.invitationExpired,
          cancelled: vi.invitations.cancelledLink,
        }[res.reason];
        await ctx.reply(text, HTML);
        return;
      }
      const joined = vi.start.joined(res.role, res.cluster.name, res.board?.name ?? null);
      await ctx.reply(res.replaced.length > 0 ? `${joined}\n${vi.invitations.tookOver(res.role)}` : joined, HTML);
      // a handover changes two phone menus now: the former holder's goes back to what they
      // still are (not at their next message), the new holder's is theirs below
      for (const personId of new Set(res.replaced.map((m) => m.personId))) {
        const former = await services.access.byPersonId(personId);
        if (former) await menus.refresh(ctx.api, former);
      }
      const fresh = await services.access.byTelegramId(actor.person.telegramId);
      if (fresh) {
        await menus.forPerson(ctx.api, fresh);
        await ctx.reply(await greetingView(services, fresh, clock.now()), HTML);
      }
      return;
    }
    if (actor.clusters.length === 0) {
      await ctx.reply(vi.common.stranger, HTML);
      return;
    }
    if (!actor.active) {
      const kb = new InlineKeyboard();
      for (const c of actor.clusters) kb.text(c.cluster.name, `cl:${c.cluster.code}`).row();
      await ctx.reply(vi.common.chooseCluster, { ...HTML, reply_markup: kb });
      return;
    }
    await ctx.reply(await greetingView(services, actor, clock.now()), HTML);
  });

  priv.callbackQuery(/^cl:([a-z0-9-]{1,60})$/, async (ctx) => {
    const chosen = await services.access.chooseCluster(ctx.actor!, ctx.match[1]!);
    if (!chosen?.active) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    await ctx.answerCallbackQuery();
    await menus.forPerson(ctx.api, chosen);
    await ctx.reply(
      `${vi.common.clusterChosen(chosen.active.cluster.name)}\n\n${await greetingView(services, chosen, clock.now())}`,
      HTML,
    );
  });

  priv.command("chon", async (ctx) => {
    const actor = ctx.actor!;
    if (actor.clusters.length < 2) {
      await ctx.reply(
        actor.clusters.length === 0 ? vi.common.stranger : vi.common.clusterChosen(actor.clusters[0]!.cluster.name),
        HTML,
      );
      return;
    }
    const kb = new InlineKeyboard();
    for (const c of actor.clusters) kb.text(c.cluster.name, `cl:${c.cluster.code}`).row();
    await ctx.reply(vi.common.chooseCluster, { ...HTML, reply_markup: kb });
  });

  return feature;
}
