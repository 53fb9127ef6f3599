// People over a year in the chat: /thanhvien (members and open invitations, with buttons
// to remove a member or cancel an invitation, each confirmed), and the one notice a
// person gets at their next message after their role ended (removal or handover).
import { Composer } from "grammy";
import type { Clock } from "../../services/clock.ts";
import type { Services } from "../../services/index.ts";
import type { RemovalError, RemovalOutcome } from "../../services/membership.service.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { personName } from "../locales/vi-members.ts";
import { commandScope, isLeader } from "../scope.ts";
import { confirmView, MEMBERS_CALLBACK, MEMBERS_CALLBACK_PATTERN, membersView } from "../views/members.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export function removalErrorText(e: RemovalError): string {
  switch (e.code) {
    case "not_allowed":
      return e.role === "chair" ? vi.members.chairNotRemovable : vi.members.deputyChairOnly;
    case "already_ended":
    case "not_member":
    case "unknown_board":
      return vi.members.alreadyEnded;
  }
}

/** The confirmation of a removal, with a warning for each board left without a secretary. */
export function removedText(out: RemovalOutcome, tz: string): string {
  const name = personName(out.person);
  const lines = out.ended.map((m) =>
    vi.members.removed(m.role, m.board?.name ?? null, name, vi.dateTime(m.until ?? m.since, tz)),
  );
  for (const board of out.boardsWithoutSecretary) lines.push(vi.members.noSecretaryLeft(board.name, board.code));
  return lines.join("\n");
}

export function createMembersFeature(deps: { services: Services; clock: Clock }) {
  const { services } = deps;
  const feature = new Composer<BotContext>();

  // Someone whose role ended is told once, at their next message in private. With no
  // role left anywhere they are a stranger now: the notice is the whole answer (an old
  // button gets nothing else either), except an invitation link, which still counts.
  feature.use(async (ctx, next) => {
    const actor = ctx.actor;
    if (ctx.chat?.type !== "private" || !actor || !actor.untold?.length) return next();
    const notices = await services.members.takeNotices(actor.person.id);
    if (notices.length === 0) return next();
    // each marked told once its message went out; a failed message gives the rest back for the next message
    for (const [i, n] of notices.entries()) {
      const at = vi.dateTime(n.membership.revokedAt ?? n.membership.createdAt, n.timezone);
      try {
        await ctx.reply(
          vi.members.removalNotice(actor.person.firstName, n.membership.role, n.boardName, n.clusterName, at),
          HTML,
        );
      } catch (err) {
        await services.members.releaseNotices(notices.slice(i).map((x) => x.membership.id)).catch(() => undefined);
        throw err;
      }
      await services.members.noticeTold(n.membership.id);
    }
    // the leader menu on the phone goes with the role
    const roles = actor.clusters.flatMap((c) => c.roles);
    if (!roles.includes("chair") && !roles.includes("deputy")) {
      await ctx.api
        .deleteMyCommands({ scope: { type: "chat", chat_id: Number(actor.person.telegramId) } })
        .catch(() => undefined);
    }
    const joining = /^\/start\s+\S/.test(ctx.message?.text ?? "");
    if (actor.clusters.length > 0 || joining) return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  });

  const priv = feature.chatType("private");

  feature.command("thanhvien", async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!isLeader(scope)) {
      await ctx.reply(scope ? vi.members.leaderOnly : vi.common.refused, HTML);
      return;
    }
    // names and roles of people: never posted in a group
    if (ctx.chat.type !== "private") {
      await ctx.reply(vi.common.privateOnly, HTML);
      return;
    }
    const [members, invitations] = await Promise.all([
      services.members.members(scope!.cluster),
      services.members.openInvitations(scope!.cluster),
    ]);
    for (const m of membersView({
      clusterName: scope!.cluster.name,
      tz: scope!.cluster.timezone,
      members,
      invitations,
      viewerRoles: scope!.roles,
    })) {
      await ctx.reply(m.text, { ...HTML, ...(m.keyboard ? { reply_markup: m.keyboard } : {}) });
    }
  });

  priv.callbackQuery(MEMBERS_CALLBACK.keep, async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!isLeader(scope)) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    await ctx.answerCallbackQuery({ text: vi.members.kept });
  });

  priv.callbackQuery(MEMBERS_CALLBACK_PATTERN, async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    // checked again at every press: a chair who has handed over, or was removed, holds old buttons
    if (!isLeader(scope)) {
      await ctx.answerCallbackQuery({ text: vi.common.refused });
      return;
    }
    const cluster = scope!.cluster;
    const tz = cluster.timezone;
    const action = ctx.match[1]!;
    const id = Number(ctx.match[2]);
    const actorPersonId = ctx.actor!.person.id;
    if (action === "rm") {
      const m = await services.members.member(cluster, id);
      if (!m || m.until) {
        await ctx.answerCallbackQuery({ text: vi.members.alreadyEnded });
        return;
      }
      await ctx.answerCallbackQuery();
      const v = confirmView(
        vi.members.confirmRemove(m.role, m.board?.name ?? null, personName(m.person)),
        vi.members.yesRemove,
        MEMBERS_CALLBACK.confirmRemove(id),
      );
      await ctx.reply(v.text, { ...HTML, reply_markup: v.keyboard! });
      return;
    }
    if (action === "rmok") {
      const res = await services.members.removeMembership({
        cluster,
        membershipId: id,
        actorPersonId,
        actorRoles: scope!.roles,
      });
      if (!res.ok) {
        await ctx.answerCallbackQuery({ text: removalErrorText(res.error) });
        return;
      }
      await ctx.answerCallbackQuery();
      await ctx.reply(removedText(res.value, tz), HTML);
      return;
    }
    if (action === "ci") {
      const inv = await services.members.invitation(cluster, id);
      if (!inv) {
        await ctx.answerCallbackQuery({ text: vi.members.cancelFailed.unknown });
        return;
      }
      await ctx.answerCallbackQuery();
      const v = confirmView(
        vi.members.confirmCancel(inv.id, inv.role, inv.board?.name ?? null),
        vi.members.yesCancel,
        MEMBERS_CALLBACK.confirmCancel(id),
      );
      await ctx.reply(v.text, { ...HTML, reply_markup: v.keyboard! });
      return;
    }
    const res = await services.members.cancelInvitation({ cluster, invitationId: id, actorPersonId });
    if (!res.ok) {
      await ctx.answerCallbackQuery({ text: vi.members.cancelFailed[res.reason] });
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.reply(vi.members.cancelled(id), HTML);
  });

  return feature;
}
