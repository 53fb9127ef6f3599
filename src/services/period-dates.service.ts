// /lich: a chair moves one date of one period. Parsing the typed words and checking the
// order of the dates are pure (src/domain/chat-words.ts, src/domain/period-move.ts); this
// use case loads the period, stores the move (audited by the repository) and says whether
// the moved date's scheduled event already happened.
import type { Repositories } from "../db/index.ts";
import type { PeriodField } from "../db/period.repository.ts";
import { opensAtRule } from "../domain/calendar.ts";
import { parseChatDateTime, parseDateField } from "../domain/chat-words.ts";
import type { Period } from "../domain/entities.ts";
import { parsePeriod } from "../domain/period.ts";
import { checkDateOrder, type DateOrderConflict, FIELD_EVENT } from "../domain/period-move.ts";
import { actionKey } from "../domain/planner.ts";
import type { PeriodDateField, PeriodError, PeriodRef } from "../domain/types.ts";
import { NoIndicatorSetError, type PeriodService } from "./period.service.ts";

export type MoveError =
  | { code: "unknown_cluster" }
  | { code: "bad_period"; error: PeriodError }
  | { code: "bad_field"; field: string }
  | { code: "bad_date"; input: string }
  | { code: "no_indicators" }
  | DateOrderConflict;

export type MoveResult =
  | { ok: true; ref: PeriodRef; field: PeriodDateField; at: Date; period: Period; tz: string; alreadySent: boolean }
  | { ok: false; error: MoveError };

const FIELD_COLUMN: Record<PeriodDateField, PeriodField> = {
  opens: "opensAt",
  deadline: "deadline",
  briefing: "briefingAt",
  post: "summaryPostAt",
};

export function createPeriodDatesService(deps: { repos: Repositories; periods: PeriodService }) {
  const { repos, periods } = deps;
  return {
    /**
     * `period` and `when` are as typed ("Q3", "07/10/2026 17:00", local to the cluster). The period row is
     * created if needed. Expected refusals come back as `{ ok: false }`; anything else (the database) throws.
     */
    async movePeriodDate(input: {
      clusterId: number;
      actorPersonId: number;
      period: string;
      field: string;
      when: string;
      now: Date;
    }): Promise<MoveResult> {
      const cluster = await repos.clusters.findById(input.clusterId);
      if (!cluster) return { ok: false, error: { code: "unknown_cluster" } };
      const tz = cluster.timezone;
      const parsed = parsePeriod(input.period, input.now, tz, opensAtRule(cluster.calendar, tz, cluster.overrides));
      if (!parsed.ok) return { ok: false, error: { code: "bad_period", error: parsed.error } };
      const field = parseDateField(input.field);
      if (!field) return { ok: false, error: { code: "bad_field", field: input.field } };
      const at = parseChatDateTime(input.when, tz);
      if (!at) return { ok: false, error: { code: "bad_date", input: input.when } };
      const ref = parsed.value;
      let period: Period;
      try {
        period = await periods.ensure(cluster, ref);
      } catch (err) {
        if (err instanceof NoIndicatorSetError) return { ok: false, error: { code: "no_indicators" } };
        throw err;
      }
      const current: Record<PeriodDateField, Date> = {
        opens: period.opensAt,
        deadline: period.deadline,
        briefing: period.briefingAt,
        post: period.summaryPostAt,
      };
      const conflict = checkDateOrder({ ...current, [field]: at }, field);
      if (conflict) return { ok: false, error: conflict };
      const moved = await repos.periods.moveDate(period.id, FIELD_COLUMN[field], at, input.actorPersonId, input.now);
      const event = FIELD_EVENT[field];
      const alreadySent =
        event !== null &&
        (await repos.ledger.keys(cluster.id, [actionKey(cluster.code, ref, event)])).size > 0 &&
        at.getTime() > input.now.getTime();
      return { ok: true, ref, field, at, period: moved, tz, alreadySent };
    },
  };
}

export type PeriodDatesService = ReturnType<typeof createPeriodDatesService>;
