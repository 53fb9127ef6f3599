// The statements every chat update runs, on the drivers themselves (prepared
// better-sqlite3 statements; named pg statements) instead of Prisma's query compiler,
// which costs ~1 ms per operation against ~20 µs for a prepared statement. Prisma
// stays the schema, the migrations and every other query.
//
// What runs per update: the exactly-once record of the update id, the report
// conversation's state (read, compare-and-set write), and storing an answer: one
// transaction with the right check (a current secretary of the board, the report not
// locked), the value, its audit row and the conversation's next state.
import { setImmediate } from "node:timers/promises";
import type { Board, Cluster, Membership, Period, Person, Report } from "../domain/entities.ts";
import type { Approval } from "../domain/members.ts";
import type { AnswerValue, PeriodScoring, Role } from "../domain/types.ts";
import type { LedgerAction } from "./ledger.repository.ts";
import { auditJson } from "./mappers.ts";

/** A stored period without its scoring snapshot. */
export type PeriodHead = Omit<Period, "scoring">;

export interface StoreAnswerInput {
  reportId: number;
  boardId: number;
  clusterId: number;
  indicatorId: number;
  value: AnswerValue;
  personId: number;
  at: Date;
  /** the conversation state this answer moves to, written in the same transaction */
  state: StateWrite;
}

/** The update being handled, recorded as handled in the same transaction as what it changes. */
export interface UpdateClaim {
  botId: number;
  updateId: number;
  at: Date;
}

export interface StateWrite {
  key: string;
  /** records the update as handled in the same transaction (one commit, one fsync, per update) */
  claim?: UpdateClaim | undefined;
  /** the stored value this write replaces (compare-and-set); undefined: there must be none */
  expected: string | undefined;
  /** builds the new value; given the report's values when `reloadValues` is set */
  value: (values: Record<string, AnswerValue> | undefined) => string;
  reloadValues?: { reportId: number } | undefined;
}

/** duplicate: the update was handled before (a redelivery); nothing changed */
export type StoreOutcome = "ok" | "locked" | "not_allowed" | "conflict" | "duplicate";
export type WriteOutcome = "ok" | "conflict" | "duplicate";

/** submittedReports lets the event loop turn between periods once it has read this many reports */
const YIELD_AFTER_REPORTS = 500;

/** A submitted report as a summary reads it: who, when, late, and the stored values (no audit fields). */
export interface SubmittedReport {
  periodId: number;
  boardId: number;
  late: boolean;
  submittedAt: Date | null;
  firstSubmittedAt: Date | null;
  values: { indicatorId: number; value: AnswerValue }[];
  /** ký duyệt (#12): "pending" while the board leader has not approved it */
  approval?: Approval;
}

export interface SubmitInput {
  reportId: number;
  boardId: number;
  clusterId: number;
  personId: number;
  expectedRevision: number;
  at: Date;
  late: boolean;
  /** indicator ids that must have an answer (not skipped) */
  required: number[];
  /** the conversation state this submission moves to (deleted: null value), in the same transaction */
  state: Omit<StateWrite, "value"> & { value: StateWrite["value"] | null };
  /** the cluster requires a board leader's approval: the submitted report waits for it (#12) */
  pendingApproval?: boolean;
  /**
   * Ledger actions written (claimed by `claimedBy`) in the same transaction: the notice to the chair, the
   * request to the board's leaders, so a crash between the commit and a notice leaves an unfinished claim
   * that another instance takes over.
   */
  notices?: { key: string; kind: string; periodId: number; claimedBy: string; detail: (report: Report) => string }[];
}

export type HotSubmitOutcome =
  | { ok: true; report: Report; notices: LedgerAction[] }
  | { ok: false; code: "stale" | "locked" | "not_allowed" | "conflict" | "duplicate"; report: Report | null }
  | { ok: false; code: "missing_required"; missing: number; report: Report };

export interface HotPath {
  /**
   * The submitted reports of some periods with their values, one statement per period
   * (/tongket reads ~5 periods × boards × indicators rows: ~60,000 for 1,000 boards).
   */
  submittedReports(periodIds: number[]): Promise<SubmittedReport[]>;
  /** Records an update id; false when it was recorded before (a redelivery). */
  markHandled(botId: number, updateId: number, at: Date): Promise<boolean>;
  /** Whether an update id was recorded as handled (a read: no commit). */
  isHandled(botId: number, updateId: number): Promise<boolean>;
  forget(botId: number, updateId: number): Promise<void>;
  readState(key: string): Promise<string | undefined>;
  /** Writes (or, with a null value, deletes) a state if it still is `expected`; conflict when another write got in first. */
  writeState(write: Omit<StateWrite, "value"> & { value: StateWrite["value"] | null }, at: Date): Promise<WriteOutcome>;
  /** Stores one answer (value, audit row, report touched, conversation state) in one transaction. */
  storeAnswer(input: StoreAnswerInput): Promise<StoreOutcome>;
  /** A person by Telegram id, with their current memberships and those clusters and boards (two statements). */
  personByTelegramId(telegramId: bigint): Promise<Person | null>;
  memberships(personId: number): Promise<{
    active: { membership: Membership; cluster: Cluster; board: Board | null }[];
    /** ended memberships the person has not been told about yet */
    untold: number[];
  }>;
  /** Whether a person is (still) a secretary of a board. */
  isSecretary(personId: number, boardId: number): Promise<boolean>;
  /** A report with its values (two statements), or null. */
  report(periodId: number, boardId: number): Promise<Report | null>;
  /** The board's report of a period, created (as a draft) when missing. */
  reportOrCreate(periodId: number, boardId: number, at: Date): Promise<Report>;
  /** A stored period of a quarter, with its scoring snapshot. */
  period(clusterId: number, year: number, quarter: number): Promise<Period | null>;
  /** A stored period without its scoring snapshot, by cluster and quarter or by id. */
  periodHead(clusterId: number, year: number, quarter: number): Promise<PeriodHead | null>;
  periodHeadById(id: number): Promise<PeriodHead | null>;
  /**
   * Submits a report if `expectedRevision` is still current, the person a secretary of its
   * board and the report open (one transaction with its audit row and the conversation
   * state); otherwise says why not.
   */
  submit(input: SubmitInput): Promise<HotSubmitOutcome>;
  /** Reserves one recipient of a fan-out; false when an earlier run served them (see ledger.repository.ts). */
  reserveDelivery(actionId: number, chatId: bigint, at: Date): Promise<boolean>;
  recordDelivery(actionId: number, chatId: bigint, status: string, error: string | null, at: Date): Promise<void>;
  /** Clears the "blocked the bot" mark after a message got through (a statement that usually changes nothing). */
  clearBlocked(telegramId: bigint, at: Date): Promise<void>;
  /** Submitted reports of active boards in a period, and the active boards of the cluster. */
  submittedCount(periodId: number, clusterId: number): Promise<{ submitted: number; boards: number }>;
  /** SQL statements run so far by this module (the statement-count test reads it) */
  readonly statements: number;
}

export type Row = Record<string, unknown>;
export type Result = { changes: number; rows: Row[] };
/** A statement to run; the driver sends back its result. */
export type Step = [sql: string, args: unknown[]];
/** Work as a generator of statements: the SQLite driver drives it synchronously (so nothing interleaves with a transaction), pg asynchronously. */
export type Work<T> = Generator<Step, T, Result>;

/** The few things the two dialects differ in. */
export interface Driver {
  run<T>(work: Work<T>): Promise<T>;
  /** runs the work in one transaction; a thrown error rolls back */
  transaction<T>(work: Work<T>): Promise<T>;
  date(d: Date): unknown;
  bool(b: boolean): unknown;
  /** the JSON aggregate of rows, which the two dialects spell differently */
  jsonAgg(expr: string): string;
}

/** A period's columns but its scoring snapshot (see toPeriodHead). */
const PERIOD_HEAD = `"id", "cluster_id", "year", "quarter", "indicator_set_id", "opens_at", "deadline", "briefing_at",
  "summary_post_at", "closed_at"`;

const SQL = {
  markHandled:
    'INSERT INTO "processed_updates" ("bot_id", "update_id", "handled_at") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  forget: 'DELETE FROM "processed_updates" WHERE "bot_id" = ? AND "update_id" = ?',
  isHandled: 'SELECT 1 AS ok FROM "processed_updates" WHERE "bot_id" = ? AND "update_id" = ?',

  readState: 'SELECT "value" FROM "conversation_states" WHERE "key" = ?',
  insertState:
    'INSERT INTO "conversation_states" ("key", "value", "updated_at") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  updateState: 'UPDATE "conversation_states" SET "value" = ?, "updated_at" = ? WHERE "key" = ? AND "value" = ?',
  deleteState: 'DELETE FROM "conversation_states" WHERE "key" = ? AND "value" = ?',
  // the writer is a current secretary of the report's board, and the report is open for
  // writing (a draft, before the deadline, or unlocked by a chair)
  touchReport: `UPDATE "reports" SET "updated_at" = ? WHERE "id" = ? AND "board_id" = ?
    AND EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = ? AND m."board_id" = ? AND m."role" = 'secretary' AND m."revoked_at" IS NULL)
    AND ("status" <> 'submitted'
      OR ? < (SELECT p."deadline" FROM "periods" p WHERE p."id" = "reports"."period_id")
      OR ("unlocked_until" IS NOT NULL AND "unlocked_until" > ?))`,
  isMember: `SELECT 1 AS ok FROM "memberships" m
    WHERE m."person_id" = ? AND m."board_id" = ? AND m."role" = 'secretary' AND m."revoked_at" IS NULL`,
  valueBefore: 'SELECT "number", "text", "skipped" FROM "report_values" WHERE "report_id" = ? AND "indicator_id" = ?',
  upsertValue: `INSERT INTO "report_values" ("report_id", "indicator_id", "number", "text", "skipped", "answered_by_person_id", "answered_at")
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT ("report_id", "indicator_id") DO UPDATE SET "number" = excluded."number", "text" = excluded."text",
      "skipped" = excluded."skipped", "answered_by_person_id" = excluded."answered_by_person_id", "answered_at" = excluded."answered_at"`,
  audit: `INSERT INTO "audit_entries" ("cluster_id", "actor_person_id", "action", "entity", "entity_id", "before", "after", "at")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  values: 'SELECT "indicator_id", "number", "text", "skipped" FROM "report_values" WHERE "report_id" = ?',
  valuesFull:
    'SELECT "indicator_id", "number", "text", "skipped", "answered_at", "answered_by_person_id" FROM "report_values" WHERE "report_id" = ?',
  person:
    'SELECT "id", "telegram_id", "first_name", "last_name", "username", "locale", "active_cluster_id", "blocked_at" FROM "people" WHERE "telegram_id" = ?',
  memberships: `SELECT m."id" AS m_id, m."cluster_id" AS m_cluster_id, m."role" AS m_role, m."board_id" AS m_board_id,
      CASE WHEN m."revoked_at" IS NULL THEN 0 ELSE 1 END AS m_revoked,
      c."code" AS c_code, c."name" AS c_name, c."timezone" AS c_timezone, c."approval_required" AS c_approval_required, c."place" AS c_place, COALESCE(c."linked_group_chat_id", c."group_chat_id") AS c_group_chat_id,
      c."calendar" AS c_calendar, c."scoring" AS c_scoring, c."overrides" AS c_overrides, c."plans" AS c_plans, c."rules" AS c_rules,
      b."code" AS b_code, b."name" AS b_name, b."short_name" AS b_short_name, b."position" AS b_position, b."active" AS b_active
    FROM "memberships" m JOIN "clusters" c ON c."id" = m."cluster_id" LEFT JOIN "boards" b ON b."id" = m."board_id"
    WHERE m."person_id" = ? AND (m."revoked_at" IS NULL OR m."notice_at" IS NULL) ORDER BY m."id"`,
  report: `SELECT "id", "period_id", "board_id", "status", "revision", "submitted_at", "submitted_by_person_id",
      "first_submitted_at", "late", "unlocked_until" FROM "reports" WHERE "period_id" = ? AND "board_id" = ?`,
  reportById: `SELECT "id", "period_id", "board_id", "status", "revision", "submitted_at", "submitted_by_person_id",
      "first_submitted_at", "late", "unlocked_until" FROM "reports" WHERE "id" = ?`,
  // the same conditions as touchReport, plus the revision the submitter saw
  insertAction: `INSERT INTO "scheduled_actions" ("key", "cluster_id", "period_id", "kind", "due_at", "status",
      "detail", "claimed_by", "claimed_at") VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?, ?) RETURNING "id"`,
  submit: `UPDATE "reports" SET "status" = 'submitted', "revision" = "revision" + 1, "submitted_at" = ?,
      "submitted_by_person_id" = ?, "updated_at" = ?,
      "first_submitted_at" = CASE WHEN "revision" = 0 THEN ? ELSE "first_submitted_at" END,
      "late" = CASE WHEN "revision" = 0 THEN ? ELSE "late" END,
      "approval" = CASE WHEN ? THEN 'pending' ELSE "approval" END
    WHERE "id" = ? AND "board_id" = ? AND "revision" = ?
    AND EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = ? AND m."board_id" = ? AND m."role" = 'secretary' AND m."revoked_at" IS NULL)
    AND ("status" <> 'submitted'
      OR ? < (SELECT p."deadline" FROM "periods" p WHERE p."id" = "reports"."period_id")
      OR ("unlocked_until" IS NOT NULL AND "unlocked_until" > ?))`,
  submittedCount: `SELECT COUNT(*) AS n FROM "reports" r JOIN "boards" b ON b."id" = r."board_id"
    WHERE r."period_id" = ? AND r."status" = 'submitted' AND b."active" = ?`,
  activeBoards: 'SELECT COUNT(*) AS n FROM "boards" WHERE "cluster_id" = ? AND "active" = ?',
  createReport: `INSERT INTO "reports" ("period_id", "board_id", "status", "revision", "late", "created_at", "updated_at")
    VALUES (?, ?, 'draft', 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
  period: `SELECT ${PERIOD_HEAD}, "scoring" FROM "periods" WHERE "cluster_id" = ? AND "year" = ? AND "quarter" = ?`,
  // without "scoring": the snapshot holds every member board's code (~100 kB of JSON for a cluster of
  // thousands of boards), which a submit or the previous quarter's lookup never reads
  periodHead: `SELECT ${PERIOD_HEAD} FROM "periods" WHERE "cluster_id" = ? AND "year" = ? AND "quarter" = ?`,
  periodHeadById: `SELECT ${PERIOD_HEAD} FROM "periods" WHERE "id" = ?`,
  // one row per report, its values as a JSON array of [indicator id, number, text, skipped]
  // (one row per value was ~12× the rows for the driver to build)
  submittedValues: (agg: (expr: string) => string) => `SELECT r."id" AS id, r."board_id" AS board_id, r."late" AS late,
      r."submitted_at" AS submitted_at, r."first_submitted_at" AS first_submitted_at, r."approval" AS approval,
      (SELECT ${agg('v."indicator_id", v."number", v."text", v."skipped"')} FROM "report_values" v WHERE v."report_id" = r."id") AS vals
    FROM "reports" r WHERE r."period_id" = ? AND r."status" = 'submitted'`,
  reserveDelivery: `INSERT INTO "message_deliveries" ("action_id", "chat_id", "status", "updated_at")
    VALUES (?, ?, 'pending', ?) ON CONFLICT ("action_id", "chat_id") DO NOTHING`,
  deliveryStatus: 'SELECT "status" FROM "message_deliveries" WHERE "action_id" = ? AND "chat_id" = ?',
  recordDelivery: `UPDATE "message_deliveries" SET "status" = ?, "error" = ?, "sent_at" = ?, "updated_at" = ?
    WHERE "action_id" = ? AND "chat_id" = ?`,
  clearBlocked:
    'UPDATE "people" SET "blocked_at" = NULL, "updated_at" = ? WHERE "telegram_id" = ? AND "blocked_at" IS NOT NULL',
};

/** A timestamp as the driver returns it (SQLite: ISO text as Prisma writes it; pg: Date) → Date. */
function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(typeof v === "string" ? v : Number(v));
}
const toDateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));
const toBool = (v: unknown) => v === true || Number(v) === 1;

function toPeriodHead(r: Row): PeriodHead {
  return {
    id: Number(r.id),
    clusterId: Number(r.cluster_id),
    year: Number(r.year),
    quarter: Number(r.quarter) as Period["quarter"],
    indicatorSetId: Number(r.indicator_set_id),
    opensAt: toDate(r.opens_at),
    deadline: toDate(r.deadline),
    briefingAt: toDate(r.briefing_at),
    summaryPostAt: toDate(r.summary_post_at),
    closedAt: toDateOrNull(r.closed_at),
  };
}

function toPeriodRow(r: Row): Period {
  return { ...toPeriodHead(r), scoring: r.scoring ? (JSON.parse(String(r.scoring)) as PeriodScoring) : null };
}

function toReportRow(r: Row, values: Row[]): Report {
  return {
    id: Number(r.id),
    periodId: Number(r.period_id),
    boardId: Number(r.board_id),
    status: r.status as Report["status"],
    revision: Number(r.revision),
    submittedAt: toDateOrNull(r.submitted_at),
    firstSubmittedAt: toDateOrNull(r.first_submitted_at),
    submittedByPersonId: r.submitted_by_person_id === null ? null : Number(r.submitted_by_person_id),
    late: toBool(r.late),
    unlockedUntil: toDateOrNull(r.unlocked_until),
    values: values.map((v) => ({
      indicatorId: Number(v.indicator_id),
      value: valueOfRow(v),
      answeredAt: toDate(v.answered_at),
      answeredByPersonId: v.answered_by_person_id === null ? null : Number(v.answered_by_person_id),
    })),
  };
}

/** A stored value row → the answer it holds. */
export function valueOfRow(r: Row): AnswerValue {
  if (r.skipped === true || Number(r.skipped) === 1) return { kind: "skipped" };
  if (r.text !== null && r.text !== undefined) return { kind: "text", value: String(r.text) };
  return { kind: "number", value: Number(r.number ?? 0) };
}

class Rollback extends Error {
  constructor(readonly outcome: StoreOutcome) {
    super(outcome);
  }
}

function* one(sql: string, args: unknown[]): Work<Result> {
  return yield [sql, args];
}

export function createHotPathOver(d: Driver, counter: { n: number }): HotPath {
  function* valuesOf(reportId: number): Work<Record<string, AnswerValue>> {
    const { rows } = yield* one(SQL.values, [reportId]);
    return Object.fromEntries(rows.map((row) => [String(row.indicator_id), valueOfRow(row)]));
  }

  function* claimUpdate(c: UpdateClaim | undefined): Work<void> {
    if (!c) return;
    const r = yield* one(SQL.markHandled, [c.botId, c.updateId, d.date(c.at)]);
    if (r.changes !== 1) throw new Rollback("duplicate");
  }

  function* putState(w: StateWrite, at: Date): Work<boolean> {
    yield* claimUpdate(w.claim);
    const values = w.reloadValues ? yield* valuesOf(w.reloadValues.reportId) : undefined;
    const value = w.value(values);
    const res =
      w.expected === undefined
        ? yield* one(SQL.insertState, [w.key, value, d.date(at)])
        : yield* one(SQL.updateState, [value, d.date(at), w.key, w.expected]);
    return res.changes === 1;
  }

  function* store(i: StoreAnswerInput): Work<StoreOutcome> {
    const at = d.date(i.at);
    const touched = yield* one(SQL.touchReport, [at, i.reportId, i.boardId, i.personId, i.boardId, at, at]);
    if (touched.changes !== 1) {
      const member = yield* one(SQL.isMember, [i.personId, i.boardId]);
      throw new Rollback(member.rows.length > 0 ? "locked" : "not_allowed");
    }
    const before = (yield* one(SQL.valueBefore, [i.reportId, i.indicatorId])).rows[0];
    const v = i.value;
    yield* one(SQL.upsertValue, [
      i.reportId,
      i.indicatorId,
      v.kind === "number" ? v.value : null,
      v.kind === "text" ? v.value : null,
      d.bool(v.kind === "skipped"),
      i.personId,
      at,
    ]);
    yield* one(SQL.audit, [
      i.clusterId,
      i.personId,
      "value.set",
      "report_value",
      `${i.reportId}:${i.indicatorId}`,
      before ? auditJson(valueOfRow(before)) : null,
      auditJson(v),
      at,
    ]);
    if (!(yield* putState(i.state, i.at))) throw new Rollback("conflict");
    return "ok";
  }

  function* reportWhere(sql: string, args: unknown[]): Work<Report | null> {
    const row = (yield* one(sql, args)).rows[0];
    if (!row) return null;
    const values = (yield* one(SQL.valuesFull, [row.id])).rows;
    return toReportRow(row, values);
  }

  function* submit(i: SubmitInput): Work<HotSubmitOutcome> {
    const before = yield* reportWhere(SQL.reportById, [i.reportId]);
    if (!before || before.boardId !== i.boardId) return { ok: false, code: "not_allowed", report: before };
    const answered = new Set(before.values.filter((v) => v.value.kind !== "skipped").map((v) => v.indicatorId));
    const missing = i.required.filter((id) => !answered.has(id)).length;
    if (missing > 0) return { ok: false, code: "missing_required", missing, report: before };
    const at = d.date(i.at);
    const first = i.expectedRevision === 0;
    const res = yield* one(SQL.submit, [
      at,
      i.personId,
      at,
      at,
      d.bool(i.late),
      d.bool(i.pendingApproval === true),
      i.reportId,
      i.boardId,
      i.expectedRevision,
      i.personId,
      i.boardId,
      at,
      at,
    ]);
    if (res.changes !== 1) {
      // read again: on PostgreSQL a concurrent submission may have committed while this
      // statement waited for the row
      const now = (yield* reportWhere(SQL.reportById, [i.reportId]))!;
      if (now.revision !== i.expectedRevision) return { ok: false, code: "stale", report: now };
      const member = yield* one(SQL.isMember, [i.personId, i.boardId]);
      return { ok: false, code: member.rows.length > 0 ? "locked" : "not_allowed", report: now };
    }
    const report = (yield* reportWhere(SQL.reportById, [i.reportId]))!;
    yield* one(SQL.audit, [
      i.clusterId,
      i.personId,
      first ? "report.submit" : "report.resubmit",
      "report",
      String(i.reportId),
      auditJson({ revision: i.expectedRevision }),
      auditJson({ revision: i.expectedRevision + 1, late: report.late }),
      at,
    ]);
    const w = i.state;
    yield* claimUpdate(w.claim);
    const moved =
      w.value === null
        ? w.expected === undefined || (yield* one(SQL.deleteState, [w.key, w.expected])).changes === 1
        : yield* putState({ ...w, value: w.value }, i.at);
    if (!moved) throw new Rollback("conflict");
    const notices: LedgerAction[] = [];
    for (const n of i.notices ?? []) {
      const detail = n.detail(report);
      const { rows } = yield* one(SQL.insertAction, [
        n.key,
        i.clusterId,
        n.periodId,
        n.kind,
        at,
        detail,
        n.claimedBy,
        at,
      ]);
      notices.push({
        id: Number(rows[0]?.id),
        key: n.key,
        clusterId: i.clusterId,
        periodId: n.periodId,
        kind: n.kind,
        dueAt: i.at,
        status: "claimed",
        detail,
        claimedBy: n.claimedBy,
        claimedAt: i.at,
        finishedAt: null,
      });
    }
    return { ok: true, report, notices };
  }

  return {
    get statements() {
      return counter.n;
    },
    async personByTelegramId(telegramId) {
      const r = (await d.run(one(SQL.person, [telegramId]))).rows[0];
      if (!r) return null;
      return {
        id: Number(r.id),
        telegramId: BigInt(r.telegram_id as string),
        firstName: String(r.first_name),
        lastName: (r.last_name as string | null) ?? null,
        username: (r.username as string | null) ?? null,
        locale: String(r.locale),
        activeClusterId: r.active_cluster_id === null ? null : Number(r.active_cluster_id),
        blockedAt: toDateOrNull(r.blocked_at),
      };
    },
    async memberships(personId) {
      const { rows } = await d.run(one(SQL.memberships, [personId]));
      const untold = rows.filter((r) => Number(r.m_revoked) === 1).map((r) => Number(r.m_id));
      const active = rows
        .filter((r) => Number(r.m_revoked) !== 1)
        .map((r) => {
          const clusterId = Number(r.m_cluster_id);
          const boardId = r.m_board_id === null ? null : Number(r.m_board_id);
          return {
            membership: { id: Number(r.m_id), personId, clusterId, role: r.m_role as Role, boardId },
            cluster: {
              id: clusterId,
              code: String(r.c_code),
              name: String(r.c_name),
              timezone: String(r.c_timezone),
              groupChatId: r.c_group_chat_id === null ? null : BigInt(r.c_group_chat_id as string),
              calendar: JSON.parse(String(r.c_calendar)),
              scoring: JSON.parse(String(r.c_scoring)),
              overrides: JSON.parse(String(r.c_overrides)),
              plans: JSON.parse(String(r.c_plans)),
              rules: JSON.parse(String(r.c_rules)),
              approvalRequired: r.c_approval_required === true || Number(r.c_approval_required) === 1,
              place: r.c_place === null ? null : String(r.c_place),
            },
            board:
              boardId === null || r.b_code === null
                ? null
                : {
                    id: boardId,
                    clusterId,
                    code: String(r.b_code),
                    name: String(r.b_name),
                    shortName: String(r.b_short_name),
                    position: Number(r.b_position),
                    active: toBool(r.b_active),
                  },
          };
        });
      return { active, untold };
    },
    async isSecretary(personId, boardId) {
      return (await d.run(one(SQL.isMember, [personId, boardId]))).rows.length > 0;
    },
    async submittedReports(periodIds) {
      const sql = SQL.submittedValues(d.jsonAgg);
      const out: SubmittedReport[] = [];
      for (const periodId of periodIds) {
        // a large cluster's periods one at a time, the event loop turning between them: SQLite answers
        // on this thread, and ~8 periods of 1,000 reports would hold up every other chat at once
        if (out.length >= YIELD_AFTER_REPORTS) await setImmediate();
        const { rows } = await d.run(one(sql, [periodId]));
        for (const r of rows) {
          // SQLite returns the JSON as text, pg parses it (and gives null for no rows)
          const vals = (typeof r.vals === "string" ? JSON.parse(r.vals) : (r.vals ?? [])) as [
            number,
            number | null,
            string | null,
            boolean | number,
          ][];
          out.push({
            periodId,
            boardId: Number(r.board_id),
            late: toBool(r.late),
            submittedAt: toDateOrNull(r.submitted_at),
            firstSubmittedAt: toDateOrNull(r.first_submitted_at),
            approval: String(r.approval) as Approval,
            values: vals.map(([indicatorId, number, text, skipped]) => ({
              indicatorId: Number(indicatorId),
              value: valueOfRow({ number, text, skipped }),
            })),
          });
        }
      }
      return out;
    },
    report(periodId, boardId) {
      return d.run(reportWhere(SQL.report, [periodId, boardId]));
    },
    async reportOrCreate(periodId, boardId, at) {
      const found = await d.run(reportWhere(SQL.report, [periodId, boardId]));
      if (found) return found;
      // two secretaries of a board opening it at once: one insert wins, both read the row
      await d.run(one(SQL.createReport, [periodId, boardId, d.bool(false), d.date(at), d.date(at)]));
      return (await d.run(reportWhere(SQL.report, [periodId, boardId])))!;
    },
    async period(clusterId, year, quarter) {
      const r = (await d.run(one(SQL.period, [clusterId, year, quarter]))).rows[0];
      return r ? toPeriodRow(r) : null;
    },
    async periodHead(clusterId, year, quarter) {
      const r = (await d.run(one(SQL.periodHead, [clusterId, year, quarter]))).rows[0];
      return r ? toPeriodHead(r) : null;
    },
    async periodHeadById(id) {
      const r = (await d.run(one(SQL.periodHeadById, [id]))).rows[0];
      return r ? toPeriodHead(r) : null;
    },
    async submit(i) {
      try {
        return await d.transaction(submit(i));
      } catch (err) {
        if (err instanceof Rollback) {
          return { ok: false, code: err.outcome === "duplicate" ? "duplicate" : "conflict", report: null };
        }
        throw err;
      }
    },
    async reserveDelivery(actionId, chatId, at) {
      if ((await d.run(one(SQL.reserveDelivery, [actionId, chatId, d.date(at)]))).changes === 1) return true;
      // reserved before: served unless that run ended in doubt (pending) or failed
      const status = (await d.run(one(SQL.deliveryStatus, [actionId, chatId]))).rows[0]?.status;
      return status === "pending" || status === "failed";
    },
    async recordDelivery(actionId, chatId, status, error, at) {
      const sentAt = status === "sent" ? d.date(at) : null;
      await d.run(one(SQL.recordDelivery, [status, error, sentAt, d.date(at), actionId, chatId]));
    },
    async clearBlocked(telegramId, at) {
      await d.run(one(SQL.clearBlocked, [d.date(at), telegramId]));
    },
    async submittedCount(periodId, clusterId) {
      const [a, b] = [
        (await d.run(one(SQL.submittedCount, [periodId, d.bool(true)]))).rows[0],
        (await d.run(one(SQL.activeBoards, [clusterId, d.bool(true)]))).rows[0],
      ];
      return { submitted: Number(a?.n ?? 0), boards: Number(b?.n ?? 0) };
    },
    async markHandled(botId, updateId, at) {
      return (await d.run(one(SQL.markHandled, [botId, updateId, d.date(at)]))).changes === 1;
    },
    async isHandled(botId, updateId) {
      return (await d.run(one(SQL.isHandled, [botId, updateId]))).rows.length > 0;
    },
    async forget(botId, updateId) {
      await d.run(one(SQL.forget, [botId, updateId]));
    },
    async readState(key) {
      const { rows } = await d.run(one(SQL.readState, [key]));
      return rows[0] ? String(rows[0].value) : undefined;
    },
    async writeState(w, at) {
      const value = w.value;
      function* work(): Work<WriteOutcome> {
        let ok: boolean;
        if (value === null) {
          yield* claimUpdate(w.claim);
          ok = w.expected === undefined || (yield* one(SQL.deleteState, [w.key, w.expected])).changes === 1;
        } else {
          ok = yield* putState({ ...w, value }, at);
        }
        // in a transaction, a lost compare-and-set must not leave the update recorded as handled
        if (!ok && w.claim) throw new Rollback("conflict");
        return ok ? "ok" : "conflict";
      }
      try {
        return await (w.claim || w.reloadValues ? d.transaction(work()) : d.run(work()));
      } catch (err) {
        if (err instanceof Rollback && (err.outcome === "conflict" || err.outcome === "duplicate")) return err.outcome;
        throw err;
      }
    },
    async storeAnswer(i) {
      try {
        return await d.transaction(store(i));
      } catch (err) {
        if (err instanceof Rollback) return err.outcome;
        throw err;
      }
    },
  };
}
