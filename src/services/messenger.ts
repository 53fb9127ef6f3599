// What services need to tell people something. The bot layer implements it over the
// Bot API (HTML parse mode, 403 → the person is marked as having blocked the bot).

import type { AnswerValue, IndicatorKind, PeriodRef } from "../domain/types.ts";
import type { GroupPostFailure } from "./group.service.ts";

/**
 * Callback data of the "start my report" button in reminders and announcements (the
 * report feature answers it). Defined here, with the messaging contract, so the
 * services that put it on a message and the bot that handles it share one definition.
 */
export const START_REPORT_CALLBACK = "baocao";

export interface InlineButton {
  text: string;
  /** callback data (≤ 64 bytes) or a URL */
  data?: string;
  url?: string;
}

export interface OutgoingMessage {
  html: string;
  buttons?: InlineButton[][];
}

export type SendOutcome = "sent" | "blocked" | "failed";

/** A leader is told that a board submitted its report. */
export interface SubmittedNotice {
  kind: "report_submitted";
  boardShortName: string;
  submitted: number;
  total: number;
  late: boolean;
  revision: number;
}

/** A secretary is told that a chair unlocked the board's report for a correction. */
export interface UnlockedNotice {
  kind: "report_unlocked";
  ref: PeriodRef;
  until: Date;
  tz: string;
  /** the unlocker's role: the secretary is told who opened the report */
  by: "chair" | "deputy";
}

/** A board leader is asked to approve a submitted report (with the buttons Duyệt / Trả lại). */
export interface ApprovalRequestNotice {
  kind: "approval_requested";
  reportId: number;
  revision: number;
  boardName: string;
  ref: PeriodRef;
  /** the report as submitted: each indicator and its value (null: not answered) */
  lines: { label: string; unit: string; kind: IndicatorKind; value: AnswerValue | null }[];
}

/** The secretaries of a board are told what their leader decided. */
export interface ApprovalDecidedNotice {
  kind: "approval_decided";
  decision: "approved" | "returned";
  boardName: string;
  ref: PeriodRef;
  reason: string | null;
}

/** What the scheduler tells secretaries, leaders and the group (dates as instants, worded in the cluster's zone). */
export type ScheduledNotice =
  | { kind: "period_opened"; ref: PeriodRef; boardName: string; deadline: Date; tz: string; now: Date; total: number }
  | {
      kind: "reminder";
      ref: PeriodRef;
      boardName: string;
      deadline: Date;
      tz: string;
      now: Date;
      missing: number;
      total: number;
      manual: boolean;
    }
  | {
      kind: "deadline_list";
      ref: PeriodRef;
      deadline: Date;
      tz: string;
      submitted: number;
      boards: number;
      missing: { shortName: string; answered: number; total: number }[];
      /** "name (board)" of secretaries who blocked the bot */
      blocked: string[];
    }
  | { kind: "blocked_people"; names: string[] }
  | { kind: "summary_ready"; ref: PeriodRef; clusterName: string }
  | { kind: "group_post_failed"; ref: PeriodRef; failure: GroupPostFailure }
  | { kind: "group_post_retried"; ref: PeriodRef };

/** What a service tells a person, as data: the bot layer words it (src/bot/views/notice.view.ts). */
export type Notice = SubmittedNotice | UnlockedNotice | ApprovalRequestNotice | ApprovalDecidedNotice | ScheduledNotice;

/** Callback data of a leader's decision on a report (the approval feature answers it). */
export const APPROVAL_CALLBACK = {
  approve: (reportId: number, revision: number) => `ap:ok:${reportId}:${revision}`,
  ret: (reportId: number, revision: number) => `ap:rt:${reportId}:${revision}`,
  pattern: /^ap:(ok|rt):(\d{1,12}):(\d{1,6})$/,
};

export interface Messenger {
  send(chatId: bigint, message: OutgoingMessage): Promise<SendOutcome>;
  tell(chatId: bigint, notice: Notice): Promise<SendOutcome>;
}

/** A messenger that drops everything (CLI commands that send nothing). */
export const silentMessenger: Messenger = { send: async () => "sent", tell: async () => "sent" };
