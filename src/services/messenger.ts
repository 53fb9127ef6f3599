// What services need to tell people something. The bot layer implements it over the
// Bot API (HTML parse mode, 403 → the person is marked as having blocked the bot).

import type { PeriodRef } from "../domain/types.ts";

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
}

/** What a service tells a person, as data: the bot layer words it (src/bot/views/notice.view.ts). */
export type Notice = SubmittedNotice | UnlockedNotice;

export interface Messenger {
  send(chatId: bigint, message: OutgoingMessage): Promise<SendOutcome>;
  tell(chatId: bigint, notice: Notice): Promise<SendOutcome>;
}

/** A messenger that drops everything (CLI commands that send nothing). */
export const silentMessenger: Messenger = { send: async () => "sent", tell: async () => "sent" };
