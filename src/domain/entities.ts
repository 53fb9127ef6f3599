// Entities as the rest of the program sees them (repositories map rows to these).
// Telegram ids are bigint, as stored.
import type { Approval } from "./members.ts";
import type {
  AnswerValue,
  CalendarConfig,
  IndicatorDef,
  IndicatorRule,
  PeriodOverrides,
  PeriodRef,
  PeriodScoring,
  Plans,
  Role,
  ScoringConfig,
} from "./types.ts";

export interface Cluster {
  id: number;
  code: string;
  name: string;
  timezone: string;
  groupChatId: bigint | null;
  calendar: CalendarConfig;
  scoring: ScoringConfig;
  overrides: PeriodOverrides;
  /** annual plans by year, from the file and `cli plans import` */
  plans: Plans;
  rules: IndicatorRule[];
  /** `approval: required`: a board leader approves a report before it counts (absent: off) */
  approvalRequired?: boolean;
  /** the place in the briefing document's date line ("Hà Nội"); absent: a placeholder */
  place?: string | null;
  /** `cluster.signer` of the file: the briefing document's signer (absent or null: the chair's role and name) */
  signerPosition?: string | null;
  signerName?: string | null;
}

export interface Board {
  id: number;
  clusterId: number;
  code: string;
  name: string;
  shortName: string;
  position: number;
  active: boolean;
}

export interface Person {
  id: number;
  telegramId: bigint;
  firstName: string;
  lastName: string | null;
  username: string | null;
  locale: string;
  activeClusterId: number | null;
  blockedAt: Date | null;
}

export interface Membership {
  id: number;
  personId: number;
  clusterId: number;
  role: Role;
  boardId: number | null;
}

export interface Indicator extends IndicatorDef {
  id: number;
  position: number;
}

export interface IndicatorSet {
  id: number;
  clusterId: number;
  version: number;
  indicators: Indicator[];
}

export interface Period extends PeriodRef {
  id: number;
  clusterId: number;
  indicatorSetId: number;
  opensAt: Date;
  deadline: Date;
  briefingAt: Date;
  summaryPostAt: Date;
  closedAt: Date | null;
  /** what the period is scored with, kept from when it opened (null only before a snapshot was taken) */
  scoring: PeriodScoring | null;
}

export type ReportStatus = "draft" | "submitted";

export interface StoredValue {
  indicatorId: number;
  value: AnswerValue;
  answeredAt: Date;
  answeredByPersonId: number | null;
}

export interface Report {
  id: number;
  periodId: number;
  boardId: number;
  status: ReportStatus;
  revision: number;
  submittedAt: Date | null;
  firstSubmittedAt: Date | null;
  submittedByPersonId: number | null;
  late: boolean;
  unlockedUntil: Date | null;
  /** ký duyệt, when the cluster requires it: none (not asked) | pending | approved | returned */
  approval?: Approval;
  /** why a leader returned it */
  returnReason?: string | null;
  values: StoredValue[];
}

/** A membership with its history (since, until, who ended it). */
export interface MembershipRecord extends Membership {
  createdAt: Date;
  revokedAt: Date | null;
  revokedByPersonId: number | null;
}

/** An invitation not yet used, cancelled or expired. */
export interface OpenInvitation {
  id: number;
  clusterId: number;
  role: Role;
  boardId: number | null;
  expiresAt: Date;
  createdAt: Date;
  createdByPersonId: number | null;
}

/** One term of a chair or deputy: who, from which board, from when until when. */
export interface ChairTerm {
  id: number;
  clusterId: number;
  role: "chair" | "deputy";
  personId: number;
  boardId: number | null;
  startedAt: Date;
  endedAt: Date | null;
}
