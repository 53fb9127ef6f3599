// /nhacnho (chair or deputy: remind the boards that have not submitted, now) and
// /lich <period> <field> <date time> (chair: move one date of one period).
import { Composer } from "grammy";
import { parseDateField } from "../../domain/chat-words.ts";
import { dayOff } from "../../domain/workdays.ts";
import { instantToZonedParts } from "../../domain/zoned-time.ts";
import type { AccessService } from "../../services/access.service.ts";
import type { Clock } from "../../services/clock.ts";
import type { MoveError, PeriodDatesService } from "../../services/period-dates.service.ts";
import type { SchedulerService } from "../../services/scheduler.service.ts";
import type { BotContext } from "../context.ts";
import * as vi from "../locales/vi.ts";
import { commandScope, isLeader } from "../scope.ts";

const HTML = { parse_mode: "HTML" } as const;

/**
 * Splits "/lich" arguments around the field word: the period may have spaces ("quý 3 2026"), so does the date
 * ("07/10/2026 17:00"). The field is the first token that names one (mo, hannop, giaoban, tongket, or the English names).
 */
export function splitLichArgs(
  args: string,
  isField: (token: string) => boolean,
): { period: string; field: string; when: string } | null {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const i = tokens.findIndex((t, n) => n > 0 && isField(t));
  if (i < 1 || i === tokens.length - 1) return null;
  return { period: tokens.slice(0, i).join(" "), field: tokens[i]!, when: tokens.slice(i + 1).join(" ") };
}

function moveErrorText(e: MoveError, tz: string): string {
  const name = vi.reminders.lich.fieldName;
  switch (e.code) {
    case "bad_period":
      return vi.periodError(e.error);
    case "bad_field":
      return vi.reminders.lich.badField(e.field);
    case "bad_date":
      return vi.reminders.lich.badDate(e.input);
    case "no_indicators":
      return vi.reminders.lich.noIndicators;
    case "order":
      return vi.reminders.lich.order(name[e.field], e.relation, name[e.other], vi.dateTime(e.otherAt, tz));
    default:
      return vi.common.refused;
  }
}

export function createScheduleFeature(deps: {
  scheduler: SchedulerService;
  periodDates: PeriodDatesService;
  access: AccessService;
  clock: Clock;
}) {
  const { scheduler, periodDates, access, clock } = deps;
  const feature = new Composer<BotContext>();

  feature.command("nhacnho", async (ctx) => {
    const scope = await commandScope(ctx, access);
    if (!isLeader(scope) || !scope || !ctx.actor) {
      await ctx.reply(scope ? vi.reminders.nhacnho.leaderOnly : vi.common.refused, HTML);
      return;
    }
    const res = await scheduler.remindNow(scope.cluster.id, ctx.actor.person.id, clock.now());
    const t = vi.reminders.nhacnho;
    if (!res.ok) {
      const text =
        res.reason === "quiet_hours"
          ? t.quietHours(res.from, res.to)
          : res.reason === "all_submitted"
            ? t.allSubmitted(res.ref)
            : res.reason === "duplicate"
              ? t.duplicate
              : res.reason === "not_open"
                ? t.notOpen
                : vi.common.refused;
      await ctx.reply(text, HTML);
      return;
    }
    const lines = [t.done(res.ref, res.reminded, res.boards)];
    if (res.notDelivered > 0) lines.push(t.notDelivered(res.notDelivered));
    if (res.withoutSecretary.length > 0) lines.push(t.noSecretary(res.withoutSecretary.join(", ")));
    await ctx.reply(lines.join("\n"), HTML);
  });

  feature.command("lich", async (ctx) => {
    const scope = await commandScope(ctx, access);
    if (!scope?.roles.includes("chair") || !ctx.actor) {
      await ctx.reply(scope ? vi.reminders.lich.chairOnly : vi.common.refused, HTML);
      return;
    }
    const args = splitLichArgs(ctx.match, (t) => parseDateField(t) !== null);
    if (!args) {
      await ctx.reply(vi.reminders.lich.usage, HTML);
      return;
    }
    const res = await periodDates.movePeriodDate({
      clusterId: scope.cluster.id,
      actorPersonId: ctx.actor.person.id,
      ...args,
      now: clock.now(),
    });
    if (!res.ok) {
      await ctx.reply(moveErrorText(res.error, scope.cluster.timezone), HTML);
      return;
    }
    const lines = [
      vi.reminders.lich.moved(res.ref, vi.reminders.lich.fieldName[res.field], vi.dateTime(res.at, res.tz)),
    ];
    if (res.alreadySent) lines.push(vi.reminders.lich.alreadySent);
    const off = dayOff(instantToZonedParts(res.at, res.tz), scope.cluster.calendar);
    if (off) lines.push(vi.reminders.lich.nonWorkingDay(vi.dayWithWeekday(res.at, res.tz), off));
    await ctx.reply(lines.join("\n"), HTML);
  });

  return feature;
}
