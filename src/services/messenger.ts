// What services need to tell people something. The bot layer implements it over the
// Bot API (HTML parse mode, 403 → the person is marked as having blocked the bot).

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

export interface Messenger {
  send(chatId: bigint, message: OutgoingMessage): Promise<SendOutcome>;
}

/** A messenger that drops everything (CLI commands that send nothing). */
export const silentMessenger: Messenger = { send: async () => "sent" };
