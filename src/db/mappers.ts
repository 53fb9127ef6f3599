// Row → entity mapping, shared by the repositories.

import type { Board, Cluster, Indicator, Membership, Period, Person, Report, StoredValue } from "../domain/entities.ts";
import type { Approval } from "../domain/members.ts";
import type { Aggregate, AnswerValue, Better, DocSection, IndicatorKind, Role } from "../domain/types.ts";
import type { Prisma } from "../generated/sqlite/client.ts";
import type { Db } from "./client.ts";

export type Tx = Prisma.TransactionClient;
export type DbOrTx = Db | Tx;

type Row<M extends keyof Db> = Db[M] extends { findFirstOrThrow(...args: never[]): Promise<infer R> } ? R : never;

export function toCluster(r: Row<"cluster">): Cluster {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timezone: r.timezone,
    groupChatId: r.linkedGroupChatId ?? r.groupChatId,
    calendar: JSON.parse(r.calendar),
    scoring: JSON.parse(r.scoring),
    overrides: JSON.parse(r.overrides),
    plans: JSON.parse(r.plans),
    rules: JSON.parse(r.rules),
    approvalRequired: r.approvalRequired,
    place: r.place,
    signerPosition: r.signerPosition,
    signerName: r.signerName,
  };
}

export function toBoard(r: Row<"board">): Board {
  return {
    id: r.id,
    clusterId: r.clusterId,
    code: r.code,
    name: r.name,
    shortName: r.shortName,
    position: r.position,
    active: r.active,
  };
}

export function toPerson(r: Row<"person">): Person {
  return {
    id: r.id,
    telegramId: r.telegramId,
    firstName: r.firstName,
    lastName: r.lastName,
    username: r.username,
    locale: r.locale,
    activeClusterId: r.activeClusterId,
    blockedAt: r.blockedAt,
  };
}

export function toMembership(r: Row<"membership">): Membership {
  return { id: r.id, personId: r.personId, clusterId: r.clusterId, role: r.role as Role, boardId: r.boardId };
}

export function toIndicator(r: Row<"indicator">): Indicator {
  return {
    id: r.id,
    position: r.position,
    code: r.code,
    label: r.label,
    unit: r.unit,
    kind: r.kind as IndicatorKind,
    min: r.min ?? undefined,
    max: r.max ?? undefined,
    required: r.required,
    weight: r.weight,
    better: r.better as Better,
    target: r.target ?? undefined,
    help: r.help ?? undefined,
    aggregate: (r.aggregate as Aggregate | null) ?? undefined,
    section: (r.section as DocSection | null) ?? undefined,
  };
}

export function toPeriod(r: Row<"period">): Period {
  return {
    id: r.id,
    clusterId: r.clusterId,
    year: r.year,
    quarter: r.quarter as 1 | 2 | 3 | 4,
    indicatorSetId: r.indicatorSetId,
    opensAt: r.opensAt,
    deadline: r.deadline,
    briefingAt: r.briefingAt,
    summaryPostAt: r.summaryPostAt,
    closedAt: r.closedAt,
    scoring: r.scoring ? JSON.parse(r.scoring) : null,
  };
}

export function toValue(r: Row<"reportValue">): StoredValue {
  let value: AnswerValue;
  if (r.skipped) value = { kind: "skipped" };
  else if (r.text !== null) value = { kind: "text", value: r.text };
  else value = { kind: "number", value: r.number ?? 0 };
  return { indicatorId: r.indicatorId, value, answeredAt: r.answeredAt, answeredByPersonId: r.answeredByPersonId };
}

export function toReport(r: Row<"report"> & { values?: Row<"reportValue">[] }): Report {
  return {
    id: r.id,
    periodId: r.periodId,
    boardId: r.boardId,
    status: r.status as Report["status"],
    revision: r.revision,
    submittedAt: r.submittedAt,
    firstSubmittedAt: r.firstSubmittedAt,
    submittedByPersonId: r.submittedByPersonId,
    late: r.late,
    unlockedUntil: r.unlockedUntil,
    approval: r.approval as Approval,
    returnReason: r.returnReason,
    values: (r.values ?? []).map(toValue),
  };
}

/** JSON for the audit trail: bigint as string, dates as ISO. */
export function auditJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

export interface AuditInput {
  clusterId: number | null;
  actorPersonId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export async function writeAudit(tx: DbOrTx, e: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      clusterId: e.clusterId,
      actorPersonId: e.actorPersonId,
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      before: e.before === undefined ? null : auditJson(e.before),
      after: e.after === undefined ? null : auditJson(e.after),
      at: e.at,
    },
  });
}
