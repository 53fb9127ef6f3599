// /trogiup (/help), /huy outside a conversation, and /trangthai.
import { Composer } from "grammy";
import { dateShifts } from "../../domain/calendar.ts";
import type { Clock } from "../../services/clock.ts";
import type { Services } from "../../services/index.ts";
import { helpLinesFor } from "../commands.ts";
import type { BotContext } from "../context.ts";
import { splitMessage } from "../html.ts";
import * as vi from "../locales/vi.ts";
import { commandScope } from "../scope.ts";
import { statusView } from "../views/status.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export function createBasicsFeature(deps: { services: Services; clock: Clock }) {
  const { services, clock } = deps;
  const feature = new Composer<BotContext>();

  feature.command(["trogiup", "help"], async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!scope) {
      // a chair in a group that is no cluster's group yet learns how to link it
      const chairs = ctx.actor?.clusters.some((c) => c.roles.includes("chair")) ?? false;
      const unlinked =
        ctx.chat.type !== "private" && chairs && !(await services.access.groupCluster(BigInt(ctx.chat.id)));
      const text =
        ctx.chat.type === "private" ? vi.help.stranger : unlinked ? vi.group.notLinkedYet : vi.common.refused;
      await ctx.reply(text, HTML);
      return;
    }
    const lines = [vi.help.title, ...helpLinesFor(scope.roles, scope.inGroup ? "group" : "private")];
    lines.push("");
    if (!scope.inGroup && scope.roles.includes("secretary")) lines.push(vi.help.inputHints);
    lines.push(vi.help.periodHint);
    await ctx.reply(lines.join("\n"), HTML);
  });

  feature.command("huy", async (ctx) => {
    await ctx.reply(vi.common.cancelledNothing, HTML);
  });

  feature.command("trangthai", async (ctx) => {
    const scope = await commandScope(ctx, services.access);
    if (!scope) {
      await ctx.reply(ctx.chat.type === "private" ? vi.common.stranger : vi.common.refused, HTML);
      return;
    }
    const now = clock.now();
    const resolved = await services.periods.resolve(scope.cluster, ctx.match, now);
    if (!resolved.ok) {
      await ctx.reply(vi.periodError(resolved.error), HTML);
      return;
    }
    const report = await services.status.forPeriod(scope.cluster, resolved.value);
    const { cluster } = scope;
    const shifts = dateShifts(resolved.value.ref, cluster.calendar, cluster.timezone, cluster.overrides);
    for (const chunk of splitMessage(statusView(report, cluster.name, cluster.timezone, now, shifts))) {
      await ctx.reply(chunk, HTML);
    }
  });

  return feature;
}
