// The cluster's group chat: /ketnoi (the chair links the group where it is sent), the
// service messages of an upgrade to a supergroup (the cluster follows the new id), and
// the bot's removal from the group (logged, the chair told in private).
import { Composer } from "grammy";
import type { GroupService } from "../../services/group.service.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createGroupFeature(deps: { groups: GroupService }) {
  const { groups } = deps;
  const feature = new Composer<BotContext>();

  feature.command("ketnoi", async (ctx) => {
    if (ctx.chat.type !== "group" && ctx.chat.type !== "supergroup") {
      await ctx.reply(vi.group.inGroupOnly, HTML);
      return;
    }
    if (!ctx.actor) {
      await ctx.reply(vi.common.refused, HTML);
      return;
    }
    const res = await groups.link(ctx.actor, BigInt(ctx.chat.id));
    if (!res.ok) {
      await ctx.reply(res.reason === "not_chair" ? vi.group.chairOnly : vi.group.otherCluster, HTML);
      return;
    }
    if (res.already) {
      await ctx.reply(vi.group.alreadyLinked(res.cluster.name), HTML);
      return;
    }
    await ctx.reply(vi.group.linkedHere(res.cluster.name), HTML);
    // and to the chair in private (who may never have opened a private chat: then only the group knows)
    await ctx.api
      .sendMessage(ctx.from!.id, vi.group.linkedToChair(ctx.chat.title, res.cluster.name), HTML)
      .catch(() => undefined);
  });

  // Telegram upgraded the group: the old chat announces the new id, the new supergroup the old one.
  feature.on("message:migrate_to_chat_id", async (ctx) => {
    await groups.followMigration(BigInt(ctx.chat.id), BigInt(ctx.message.migrate_to_chat_id));
  });
  feature.on("message:migrate_from_chat_id", async (ctx) => {
    await groups.followMigration(BigInt(ctx.message.migrate_from_chat_id), BigInt(ctx.chat.id));
  });

  feature.on("my_chat_member", async (ctx) => {
    const chat = ctx.myChatMember.chat;
    const gone = ["left", "kicked"].includes(ctx.myChatMember.new_chat_member.status);
    if (chat.type === "private" || chat.type === "channel" || !gone) return;
    const cluster = await groups.removed(BigInt(chat.id));
    if (!cluster) return;
    const html = vi.group.removed(chat.title, cluster.name);
    for (const chair of await groups.chairs(cluster)) {
      await ctx.api.sendMessage(Number(chair.telegramId), html, HTML).catch(() => undefined);
    }
  });

  return feature;
}
