// /mokhoa <board code> [quý] [giờ]: a chair or deputy reopens one board's submitted
// report for correction after the deadline (the "who can unlock" of the locked message).
import { Composer } from "grammy";
import type { Clock } from "../../services/clock.ts";
import type { Services } from "../../services/index.ts";
import type { UnlockService } from "../../services/unlock.service.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { commandScope, isLeader } from "../scope.ts";

const HTML = { parse_mode: "HTML" } as const;

/** "HN", "HN Q3", "HN 24", "HN Q3/2026 24": board code, optional period, optional hours (a bare number). */
export function parseUnlockArgs(input: string): { board: string; period?: string; hours?: number } | null {
  const parts = input.trim().split(/\s+/).filter(Boolean);
  const board = parts.shift();
  if (!board) return null;
  let hours: number | undefined;
  const last = parts.at(-1);
  if (last && /^\d{1,3}h?$/i.test(last) && parts.length > 0 && !/^[1-4]$/.test(last)) {
    hours = Number.parseInt(last, 10);
    parts.pop();
  }
  const period = parts.join(" ");
  return { board, ...(period ? { period } : {}), ...(hours !== undefined ? { hours } : {}) };
}

export function createUnlockFeature(deps: { services: Services; unlock: UnlockService; clock: Clock }) {
  const { services, unlock, clock } = deps;
  const feature = new Composer<BotContext>();

  feature.command("mokhoa", async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!isLeader(scope)) {
      await ctx.reply(vi.common.refused, HTML);
      return;
    }
    const args = parseUnlockArgs(ctx.match);
    if (!args) {
      await ctx.reply(vi.unlock.usage, HTML);
      return;
    }
    const now = clock.now();
    const resolved = await services.periods.resolve(scope!.cluster, args.period, now);
    if (!resolved.ok) {
      await ctx.reply(vi.periodError(resolved.error), HTML);
      return;
    }
    const out = await unlock.unlock({
      cluster: scope!.cluster,
      view: resolved.value,
      boardCode: args.board,
      hours: args.hours,
      actorPersonId: ctx.actor!.person.id,
      // a chair who is also deputy somewhere is the chair here
      by: scope!.roles.includes("chair") ? "chair" : "deputy",
      // a retry of this update (its handling failed after the commit) unlocks and notifies once
      request: `u${ctx.me.id}-${ctx.update.update_id}`,
    });
    const tz = scope!.cluster.timezone;
    if (out.ok) {
      await ctx.reply(
        vi.unlock.done(out.board.shortName, out.ref, vi.dateTime(out.until, tz), out.notified, out.pending),
        HTML,
      );
      return;
    }
    switch (out.code) {
      case "unknown_board":
        await ctx.reply(vi.invite.unknownBoard(args.board, out.codes.join(", ")), HTML);
        return;
      case "not_submitted":
        await ctx.reply(vi.unlock.notSubmitted(out.board.shortName, out.ref), HTML);
        return;
      case "still_open":
        await ctx.reply(vi.unlock.stillOpen(out.board.shortName, out.ref, vi.dateTime(out.deadline, tz)), HTML);
        return;
      case "bad_hours":
        await ctx.reply(vi.unlock.usage, HTML);
        return;
    }
  });

  return feature;
}
