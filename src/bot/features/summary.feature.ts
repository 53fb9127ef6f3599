// /tongket [period]: the ranked summary (text, chart photo, spreadsheet) and /lichsu:
// a secretary's own board over the last four quarters.
// Who may see a summary: the chair and deputies of the cluster, in a private chat
// (their active cluster) or in the cluster's group chat; secretaries and the group
// only once the period's deadline has passed. Everyone else gets a polite refusal
// and no data.
import { Composer } from "grammy";
import type { Cluster } from "../../domain/entities.ts";
import { parseYearArg } from "../../domain/period.ts";
import type { Role } from "../../domain/types.ts";
import type { Actor } from "../../services/access.service.ts";
import type { BriefingService } from "../../services/briefing.service.ts";
import type { Clock } from "../../services/clock.ts";
import type { PeriodService, PeriodView } from "../../services/period.service.ts";
import type { SummaryService } from "../../services/summary.service.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import type { SummaryFileCache } from "../summary-files.ts";
import { sendSummary } from "../summary-sender.ts";
import { historyMessages } from "../views/summary.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export interface SummaryFeatureDeps {
  summary: SummaryService;
  briefing: BriefingService;
  periods: PeriodService;
  clock: Clock;
  /** a closed summary's files, kept to be sent again (see ../summary-files.ts) */
  files?: SummaryFileCache;
}

type Audience = { ok: true; cluster: Cluster; roles: Role[] } | { ok: false; text: string };

/** The cluster a /tongket is about, and the sender's roles in it, from the chat it was typed in. */
export function summaryAudience(actor: Actor | null, chat: { id: number; type: string }): Audience {
  if (!actor) return { ok: false, text: vi.summary.refused };
  if (chat.type === "private") {
    if (!actor.active) {
      return { ok: false, text: actor.clusters.length > 1 ? vi.summary.chooseCluster : vi.summary.refused };
    }
    return { ok: true, cluster: actor.active.cluster, roles: actor.active.roles };
  }
  // In a group, the group decides the cluster: only one whose configured group chat this is.
  const here = actor.clusters.find((c) => c.cluster.groupChatId !== null && c.cluster.groupChatId === BigInt(chat.id));
  if (!here) return { ok: false, text: vi.summary.refused };
  return { ok: true, cluster: here.cluster, roles: here.roles };
}

/** Chair and deputies see any period; secretaries once its deadline has passed (or it was closed). */
export function maySeeSummary(roles: readonly Role[], view: PeriodView): boolean {
  if (roles.includes("chair") || roles.includes("deputy")) return true;
  const closed = view.status === "closed" || (view.period?.closedAt ?? null) !== null;
  return roles.includes("secretary") && closed;
}

export function createSummaryFeature(deps: SummaryFeatureDeps): Composer<BotContext> {
  const { summary, briefing, periods, clock, files } = deps;
  const feature = new Composer<BotContext>();

  feature.chatType(["private", "group", "supergroup"]).command("tongket", async (ctx) => {
    const audience = summaryAudience(ctx.actor, ctx.chat);
    if (!audience.ok) {
      await ctx.reply(audience.text, HTML);
      return;
    }
    const { cluster, roles } = audience;
    const now = clock.now();
    const year = parseYearArg(ctx.match);
    if (year !== null) {
      // The year: chair and deputies any time, secretaries once its fourth quarter has closed.
      const s = await summary.buildYear(cluster, year, now);
      if (!s) await ctx.reply(vi.summary.noYearData(year), HTML);
      else if (!roles.includes("chair") && !roles.includes("deputy") && !s.closed)
        await ctx.reply(vi.summary.secretaryYearWait(year), HTML);
      else await sendSummary(ctx.api, ctx.chat.id, s, await briefing.context(cluster.id, s.ref), files);
      return;
    }
    const resolved = await periods.resolve(cluster, ctx.match, now);
    if (!resolved.ok) {
      await ctx.reply(vi.periodError(resolved.error), HTML);
      return;
    }
    const view = resolved.value;
    if (!maySeeSummary(roles, view)) {
      await ctx.reply(vi.summary.secretaryWait(view.ref, vi.dateTime(view.dates.deadline, cluster.timezone)), HTML);
      return;
    }
    if (view.status === "not_open") {
      await ctx.reply(vi.summary.notOpen(view.ref, vi.dateTime(view.dates.opensAt, cluster.timezone)), HTML);
      return;
    }
    const s = await summary.build(cluster, view.ref, now);
    if (!s) {
      await ctx.reply(vi.summary.noData(view.ref), HTML);
      return;
    }
    await sendSummary(ctx.api, ctx.chat.id, s, await briefing.context(cluster.id, view.ref), files);
  });

  feature.chatType("private").command("lichsu", async (ctx) => {
    const active = ctx.actor?.active;
    if (!active) {
      await ctx.reply(ctx.actor && ctx.actor.clusters.length > 1 ? vi.summary.chooseCluster : vi.summary.refused, HTML);
      return;
    }
    if (!active.roles.includes("secretary") || !active.board) {
      await ctx.reply(vi.summary.history.notSecretary, HTML);
      return;
    }
    // a secretary of several boards gets one section per board; `/lichsu HN` shows one board
    const own = active.boards?.length ? active.boards : [active.board];
    const typed = ctx.match.trim();
    const boards = typed ? own.filter((b) => b.code.toLowerCase() === typed.toLowerCase()) : own;
    if (boards.length === 0) {
      await ctx.reply(vi.members.notYourBoard(typed), HTML);
      return;
    }
    for (const board of boards) {
      const history = await summary.history(board.id, active.cluster.id, clock.now());
      if (!history) {
        await ctx.reply(vi.summary.refused, HTML);
        return;
      }
      for (const chunk of historyMessages(history)) await ctx.reply(chunk, HTML);
    }
  });

  return feature;
}
