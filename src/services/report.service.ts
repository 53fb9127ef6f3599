// Use cases of a board's quarterly report: open (or resume) it, store one answer,
// submit it, and tell the chair. Everything returned to a conversation is plain
// JSON (ids, numbers, strings), because conversations replay what they stored.

import * as vi from "../bot/locales/vi.ts";
import type { Repositories } from "../db/index.ts";
import { isLate } from "../domain/calendar.ts";
import type { Cluster, Indicator, Report } from "../domain/entities.ts";
import { previousPeriod } from "../domain/period.ts";
import type { AnswerValue, InputError, PeriodRef } from "../domain/types.ts";
import { canSkip, validateAnswer } from "../domain/validate.ts";
import type { AccessService } from "./access.service.ts";
import type { Clock } from "./clock.ts";
import type { Messenger } from "./messenger.ts";
import type { PeriodService } from "./period.service.ts";

export interface IndicatorDto {
  id: number;
  code: string;
  label: string;
  unit: string;
  kind: Indicator["kind"];
  min?: number | undefined;
  max?: number | undefined;
  required: boolean;
  weight: number;
  better: Indicator["better"];
  target?: number | undefined;
  help?: string | undefined;
}

export interface ReportSession {
  personId: number;
  reportId: number;
  periodId: number;
  ref: PeriodRef;
  clusterId: number;
  boardId: number;
  boardName: string;
  boardShortName: string;
  tz: string;
  /** epoch ms */
  deadline: number;
  status: Report["status"];
  revision: number;
  submittedAt: number | null;
  indicators: IndicatorDto[];
  /** indicator id → stored answer */
  values: Record<string, AnswerValue>;
  /** who stored each answer (indicator id → person id) */
  answeredBy?: Record<string, number | null>;
  /** indicator id → last period's value of this board (matched by indicator code) */
  previous: Record<string, AnswerValue>;
}

export type OpenRefusal =
  | { code: "not_secretary" }
  | { code: "no_open_period"; next: PeriodRef | null; opensAt: number | null; tz: string }
  | { code: "locked"; ref: PeriodRef; deadline: number; tz: string };

export type AnswerFailure = InputError | { code: "cannot_skip" } | { code: "locked" } | { code: "not_allowed" };

export type SubmitOutcome =
  | { ok: true; revision: number; late: boolean; submittedAt: number; session: ReportSession }
  | { ok: false; code: "missing_required"; missing: number }
  | { ok: false; code: "stale"; session: ReportSession }
  | { ok: false; code: "locked" }
  | { ok: false; code: "not_allowed" };

function dto(i: Indicator): IndicatorDto {
  return {
    id: i.id,
    code: i.code,
    label: i.label,
    unit: i.unit,
    kind: i.kind,
    min: i.min,
    max: i.max,
    required: i.required,
    weight: i.weight,
    better: i.better,
    target: i.target,
    help: i.help,
  };
}

/** Required indicators without an answer. */
export function missingRequired(session: Pick<ReportSession, "indicators" | "values">): IndicatorDto[] {
  return session.indicators.filter((i) => {
    const v = session.values[String(i.id)];
    return i.required && (!v || v.kind === "skipped");
  });
}

export function createReportService(deps: {
  repos: Repositories;
  access: AccessService;
  periods: PeriodService;
  messenger: Messenger;
  clock: Clock;
}) {
  const { repos, access, periods, messenger, clock } = deps;

  /** The secretary's cluster and board, or null when this person is not a secretary. */
  async function secretaryOf(personId: number, clusterId?: number) {
    const person = await repos.people.byId(personId);
    if (!person) return null;
    const actor = await access.forPerson(person);
    const scope = clusterId === undefined ? actor?.active : actor?.clusters.find((c) => c.cluster.id === clusterId);
    if (!scope?.board || !scope.roles.includes("secretary")) return null;
    return { cluster: scope.cluster, board: scope.board };
  }

  /** Corrections of a submitted report are allowed before the deadline or while unlocked. */
  function isLocked(report: Report, deadline: Date, now: Date): boolean {
    if (report.status !== "submitted") return false;
    if (now.getTime() < deadline.getTime()) return false;
    return !(report.unlockedUntil && report.unlockedUntil.getTime() > now.getTime());
  }

  async function previousValues(cluster: Cluster, boardId: number, ref: PeriodRef, indicators: Indicator[]) {
    const prev = await repos.periods.find(cluster.id, previousPeriod(ref));
    if (!prev) return {};
    const report = await repos.reports.find(prev.id, boardId);
    if (report?.status !== "submitted") return {};
    const prevSet = await repos.clusters.indicatorSet(prev.indicatorSetId);
    const codeById = new Map(prevSet?.indicators.map((i) => [i.id, i.code]));
    const byCode = new Map(report.values.map((v) => [codeById.get(v.indicatorId), v.value]));
    const out: Record<string, AnswerValue> = {};
    for (const i of indicators) {
      const v = byCode.get(i.code);
      if (v && v.kind !== "skipped") out[String(i.id)] = v;
    }
    return out;
  }

  async function sessionFor(personId: number, reportId: number): Promise<ReportSession | null> {
    const report = await repos.reports.byId(reportId);
    if (!report) return null;
    const period = await repos.periods.byId(report.periodId);
    const board = await repos.clusters.boardById(report.boardId);
    if (!period || !board) return null;
    const cluster = (await repos.clusters.findById(period.clusterId))!;
    const set = (await repos.clusters.indicatorSet(period.indicatorSetId))!;
    return {
      personId,
      reportId: report.id,
      periodId: period.id,
      ref: { year: period.year, quarter: period.quarter },
      clusterId: cluster.id,
      boardId: board.id,
      boardName: board.name,
      boardShortName: board.shortName,
      tz: cluster.timezone,
      deadline: period.deadline.getTime(),
      status: report.status,
      revision: report.revision,
      submittedAt: report.submittedAt?.getTime() ?? null,
      indicators: set.indicators.map(dto),
      values: Object.fromEntries(report.values.map((v) => [String(v.indicatorId), v.value])),
      answeredBy: Object.fromEntries(report.values.map((v) => [String(v.indicatorId), v.answeredByPersonId])),
      previous: await previousValues(cluster, board.id, period, set.indicators),
    };
  }

  async function valuesOf(reportId: number): Promise<Record<string, AnswerValue>> {
    const report = await repos.reports.byId(reportId);
    return Object.fromEntries((report?.values ?? []).map((v) => [String(v.indicatorId), v.value]));
  }

  /** Checks that the person may still write to this report now. */
  async function writable(personId: number, reportId: number) {
    const report = await repos.reports.byId(reportId);
    if (!report) return { ok: false as const, code: "not_allowed" as const };
    const period = (await repos.periods.byId(report.periodId))!;
    const sec = await secretaryOf(personId, period.clusterId);
    if (!sec || sec.board.id !== report.boardId) return { ok: false as const, code: "not_allowed" as const };
    if (isLocked(report, period.deadline, clock.now())) return { ok: false as const, code: "locked" as const };
    return { ok: true as const, report, period, cluster: sec.cluster, board: sec.board };
  }

  async function notifyLeaders(session: ReportSession, late: boolean, revision: number): Promise<void> {
    const [reports, boards, leaders] = await Promise.all([
      repos.reports.forPeriod(session.periodId),
      repos.clusters.boards(session.clusterId),
      repos.people.members(session.clusterId, ["chair", "deputy"]),
    ]);
    const active = new Set(boards.map((b) => b.id));
    const submitted = reports.filter((r) => r.status === "submitted" && active.has(r.boardId)).length;
    const html = vi.report.chairNotice(session.boardShortName, submitted, boards.length, late, revision);
    const notified = new Set<bigint>();
    for (const { person } of leaders) {
      if (notified.has(person.telegramId) || person.id === session.personId) continue;
      notified.add(person.telegramId);
      await messenger.send(person.telegramId, { html });
    }
  }

  return {
    /** Opens or resumes the report of the current period for a secretary (identified by person id). */
    async open(personId: number): Promise<{ ok: true; session: ReportSession } | { ok: false; refusal: OpenRefusal }> {
      const sec = await secretaryOf(personId);
      if (!sec) return { ok: false, refusal: { code: "not_secretary" } };
      const now = clock.now();
      const current = await periods.current(sec.cluster, now);
      // Late reports are taken until the briefing; after it the period is over for a
      // board that never started (a submitted one still gets the "locked" answer).
      const over =
        current.status === "closed" &&
        now.getTime() >= current.dates.briefingAt.getTime() &&
        (!current.period || (await repos.reports.find(current.period.id, sec.board.id))?.status !== "submitted");
      if (current.status === "not_open" || over) {
        const next = await periods.upcoming(sec.cluster, now);
        return {
          ok: false,
          refusal: {
            code: "no_open_period",
            next: next.ref,
            opensAt: next.dates.opensAt.getTime(),
            tz: sec.cluster.timezone,
          },
        };
      }
      const period = await periods.ensure(sec.cluster, current.ref);
      const report = await repos.reports.getOrCreate(period.id, sec.board.id);
      if (isLocked(report, period.deadline, now)) {
        return {
          ok: false,
          refusal: { code: "locked", ref: current.ref, deadline: period.deadline.getTime(), tz: sec.cluster.timezone },
        };
      }
      return { ok: true, session: (await sessionFor(personId, report.id))! };
    },

    /** Re-reads a session (another secretary of the board may have answered meanwhile). */
    async reload(personId: number, reportId: number): Promise<ReportSession | null> {
      return sessionFor(personId, reportId);
    },

    /** Validates and stores one typed answer at once. */
    async answer(
      personId: number,
      reportId: number,
      indicatorId: number,
      input: string,
    ): Promise<
      { ok: true; value: AnswerValue; values: Record<string, AnswerValue> } | { ok: false; error: AnswerFailure }
    > {
      const w = await writable(personId, reportId);
      if (!w.ok) return { ok: false, error: { code: w.code } };
      const set = await repos.clusters.indicatorSet(w.period.indicatorSetId);
      const indicator = set?.indicators.find((i) => i.id === indicatorId);
      if (!indicator) return { ok: false, error: { code: "not_allowed" } };
      const parsed = validateAnswer(input, indicator);
      if (!parsed.ok) return parsed;
      await repos.reports.saveValue({ reportId, indicatorId, value: parsed.value, personId, at: clock.now() });
      return { ok: true, value: parsed.value, values: await valuesOf(reportId) };
    },

    /** Marks an optional indicator as skipped. */
    async skip(
      personId: number,
      reportId: number,
      indicatorId: number,
    ): Promise<{ ok: true; values: Record<string, AnswerValue> } | { ok: false; error: AnswerFailure }> {
      const w = await writable(personId, reportId);
      if (!w.ok) return { ok: false, error: { code: w.code } };
      const set = await repos.clusters.indicatorSet(w.period.indicatorSetId);
      const indicator = set?.indicators.find((i) => i.id === indicatorId);
      if (!indicator) return { ok: false, error: { code: "not_allowed" } };
      if (!canSkip(indicator)) return { ok: false, error: { code: "cannot_skip" } };
      await repos.reports.saveValue({ reportId, indicatorId, value: { kind: "skipped" }, personId, at: clock.now() });
      return { ok: true, values: await valuesOf(reportId) };
    },

    /** Submits (or re-submits a correction) and tells the chair and deputy. */
    async submit(personId: number, reportId: number, expectedRevision: number): Promise<SubmitOutcome> {
      const w = await writable(personId, reportId);
      if (!w.ok) return { ok: false, code: w.code };
      const session = (await sessionFor(personId, reportId))!;
      const missing = missingRequired(session).length;
      if (missing > 0) return { ok: false, code: "missing_required", missing };
      const now = clock.now();
      const res = await repos.reports.submit(reportId, expectedRevision, personId, now, isLate(now, w.period.deadline));
      const fresh = (await sessionFor(personId, reportId))!;
      if (!res.ok) return { ok: false, code: "stale", session: fresh };
      try {
        await notifyLeaders(fresh, res.report.late, res.report.revision);
      } catch {
        // the submission stands; a failed notice must not undo or hide it
      }
      return {
        ok: true,
        revision: res.report.revision,
        late: res.report.late,
        submittedAt: now.getTime(),
        session: fresh,
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
