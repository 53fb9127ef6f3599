/** Public types of the Bot API stand-in. */
import type { FaultHandle, FaultRule, InjectedFault, RateLimitOptions } from "./faults.ts";
import type { MessageEntity } from "./html.ts";
import type { ReplyMarkup } from "./validation.ts";

export type Json = Record<string, unknown>;

export interface StandinOptions {
  /** If set, requests with another token get 401 Unauthorized. */
  token?: string;
  /** Identity answered by getMe. */
  bot?: { id?: number; username?: string; first_name?: string };
  /** Seed of the deterministic PRNG (fault probabilities). Default 1. */
  seed?: number;
  /** Optional Telegram-like rate limits; exceeding them answers 429 with retry_after. */
  rateLimit?: RateLimitOptions;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** update_id of the first update. Default 10000. */
  firstUpdateId?: number;
  /** First delay between webhook retries (doubles up to 2 s). Default 100 ms. */
  webhookRetryDelayMs?: number;
  /** Webhook request timeout. Default 10 s. */
  webhookTimeoutMs?: number;
  /** Default timeout of waitForMessage & co. Default 3000 ms. */
  waitTimeoutMs?: number;
  /** Called with one line per finished API call (e.g. console.log for demos). */
  log?: (line: string) => void;
  /** Clock (ms) for dates, rate limits and logs. Default Date.now. */
  now?: () => number;
}

export interface UploadedFile {
  /** Multipart field name (grammY uses random ids referenced by attach://). */
  field: string;
  filename?: string;
  contentType?: string;
  bytes: Buffer;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  /** Empty for files given by URL. */
  bytes: Buffer;
  filename?: string;
  mimeType?: string;
  size: number;
  width?: number;
  height?: number;
  /** Set when the bot sent an HTTP URL instead of bytes (the stand-in never fetches it). */
  url?: string;
}

export interface ApiCallError {
  code: number;
  description: string;
  retryAfter?: number;
}

export interface ApiCall {
  method: string;
  params: Json;
  files: UploadedFile[];
  /** Start time (ms, from the stand-in clock). */
  time: number;
  endTime?: number;
  pending: boolean;
  ok?: boolean;
  result?: unknown;
  error?: ApiCallError;
  /** A fault rule or the rate limiter decided this call's fate. */
  injected?: boolean;
  /** "webhook-reply" when executed from a webhook response body. */
  via: "http" | "webhook-reply";
}

export interface BotMessageVersion {
  time: number;
  method: string;
  text?: string;
  caption?: string;
  rawText?: string;
  parse_mode?: string;
  entities: MessageEntity[];
  reply_markup?: ReplyMarkup;
}

/** A message the bot sent, with edits applied in place. */
export interface BotMessage {
  message_id: number;
  chat_id: number;
  /** sendMessage | sendPhoto | sendDocument */
  method: string;
  /** Unix seconds. */
  date: number;
  /** ms, stand-in clock. */
  time: number;
  /** Visible text (HTML tags removed, entities decoded). */
  text?: string;
  caption?: string;
  /** Text or caption exactly as the bot sent it (e.g. with HTML tags). */
  rawText?: string;
  parse_mode?: string;
  entities: MessageEntity[];
  reply_markup?: ReplyMarkup;
  photo?: StoredFile;
  document?: StoredFile;
  reply_to_message_id?: number;
  /** Previous versions, oldest first (one per successful edit). */
  history: BotMessageVersion[];
  /** Method of the latest successful edit. */
  editedBy?: string;
  edit_date?: number;
  deleted: boolean;
  deletedAt?: number;
  /** Parameters of the call that sent it. */
  params: Json;
}

export type MessagePredicate = string | RegExp | ((message: BotMessage) => boolean);

export interface WaitOptions {
  timeoutMs?: number;
  /** Index into messages() to start from; default: the chat's cursor (see ChatView). */
  since?: number;
}

/**
 * What the bot sent to one chat. The cursor moves to the end on every send/press
 * into the chat and past each message a waitFor* call returns, so consecutive waits
 * read consecutive replies.
 */
export interface ChatView {
  readonly chatId: number;
  /** Everything the bot sent to this chat (deleted ones flagged), oldest first. */
  messages(): BotMessage[];
  /** The newest message that is not deleted. */
  last(): BotMessage | undefined;
  /** First new message (after the cursor) matching; string = substring of text/caption. */
  waitForMessage(predicate?: MessagePredicate, options?: WaitOptions): Promise<BotMessage>;
  /** waitForMessage() without a predicate. */
  waitForReply(options?: WaitOptions): Promise<BotMessage>;
  /** Next edit (after this call) of a message in this chat that matches. */
  waitForEdit(predicate?: MessagePredicate, options?: { timeoutMs?: number }): Promise<BotMessage>;
  /** Current cursor (an index into messages()). */
  readonly cursor: number;
}

export interface SendOptions {
  /** Reply to this message id. */
  replyTo?: number;
  entities?: MessageEntity[];
  /** sends it as forwarded from a user who hides their account (forward_origin) */
  forwardedFrom?: string;
}

export interface MediaOptions {
  caption?: string;
  bytes?: Buffer | Uint8Array;
  replyTo?: number;
}

export interface Sender {
  /** Queues a text message update; "/cmd args" gets a bot_command entity. */
  send(text: string, options?: SendOptions): Json;
  /** Presses an inline button (by text or callback_data) of the newest bot message that has it. */
  press(button: string | RegExp, options?: { messageId?: number }): Json;
  /** Sends a callback query with arbitrary data on the newest (or the given) bot message, as a modified client could. */
  forgeCallback(data: string, options?: { messageId?: number }): Json;
  sendPhoto(options?: MediaOptions): Json;
  sendDocument(options?: MediaOptions & { fileName?: string; mimeType?: string }): Json;
  sendSticker(options?: { emoji?: string }): Json;
  /** The user edits one of their messages (edited_message update). */
  editMessage(messageId: number, text: string): Json;
}

export interface UserProfile {
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
  /** Treat the chat as known already (the user talked to the bot before the test). */
  known?: boolean;
}

export interface UserHandle extends ChatView, Sender {
  readonly id: number;
  readonly profile: UserProfile;
  readonly blocked: boolean;
  /** The Telegram User object. */
  readonly user: Json;
  /** The bot's sends to this user now get 403; notify (default true) queues a my_chat_member update. */
  block(options?: { notify?: boolean }): void;
  unblock(options?: { notify?: boolean }): void;
}

export interface GroupHandle extends ChatView {
  readonly id: number;
  readonly title: string;
  /** A member who can send into the group. */
  member(user: UserHandle | number, profile?: UserProfile): Sender & { readonly user: Json };
  /**
   * The bot is removed: its sends get 403 "bot was kicked from the group chat", and (unless notify is false) the
   * bot receives a my_chat_member update (member → left) from `by` (default: the anonymous group admin).
   */
  removeBot(options?: { notify?: boolean; by?: UserHandle | number }): void;
  /**
   * Telegram upgrades the (basic) group to a supergroup with a new id (-100…): sends to the old id get 400 "group
   * chat was upgraded to a supergroup chat" with parameters.migrate_to_chat_id; unless notify is false, the bot
   * receives the service messages migrate_to_chat_id (old group) and migrate_from_chat_id (new supergroup).
   * Returns the new supergroup.
   */
  upgradeToSupergroup(newId: number, options?: { notify?: boolean; by?: UserHandle | number }): GroupHandle;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  time: number;
  /** The query that was answered. */
  query: Json;
}

export interface CommandsEntry {
  scope: Json;
  language_code: string;
  commands: Array<{ command: string; description: string }>;
}

export interface CommandsView {
  /** Commands for exactly this scope (default {type:"default"}) and language ("" default). */
  get(scope?: Json, languageCode?: string): Array<{ command: string; description: string }> | undefined;
  all(): CommandsEntry[];
}

export interface AcceptedMessage {
  chat_id: number;
  message_id: number;
  method: string;
  fingerprint: string;
  time: number;
}

export interface WebhookDelivery {
  update_id: number;
  time: number;
  status?: number;
  error?: string;
  secretSent: boolean;
}

export interface StandinCounters {
  requests: number;
  byMethod: Record<string, number>;
  errors: number;
  /** 429 answers of any origin. */
  tooManyRequests: number;
  /** 429 answers from the rate limiter. */
  rateLimited: number;
  /** Faults applied by fault rules. */
  injected: number;
}

export interface Faults {
  add(rule: FaultRule): FaultHandle;
  clear(): void;
  readonly log: readonly InjectedFault[];
  readonly rules: readonly FaultRule[];
}

export interface BotApiStandin {
  start(): Promise<{ apiRoot: string }>;
  stop(): Promise<void>;
  readonly apiRoot: string;
  readonly botInfo: Json;
  user(id: number, profile?: UserProfile): UserHandle;
  group(id: number, title?: string, options?: { type?: "group" | "supergroup"; username?: string }): GroupHandle;
  /** Every API call, in arrival order. */
  readonly sent: readonly ApiCall[];
  calls(method: string | RegExp): ApiCall[];
  readonly callbackAnswers: readonly CallbackAnswer[];
  readonly commands: CommandsView;
  readonly menuButtons: ReadonlyMap<string, Json>;
  readonly chatActions: ReadonlyArray<{ chat_id: number; action: string; time: number }>;
  /** Every message the stand-in accepted (sent), with a content fingerprint. */
  readonly accepted: readonly AcceptedMessage[];
  /** Groups of accepted messages with the same chat and fingerprint (possible double sends). */
  duplicates(): AcceptedMessage[][];
  readonly files: ReadonlyMap<string, StoredFile>;
  readonly webhook: { url: string; secret_token?: string } | undefined;
  readonly webhookDeliveries: readonly WebhookDelivery[];
  readonly faults: Faults;
  readonly counters: StandinCounters;
  /** Updates not yet confirmed (polling) or delivered (webhook). */
  readonly pendingUpdates: number;
  /** Every update ever queued, with its update_id (e.g. to replay one as a redelivery). */
  readonly updates: readonly Json[];
  /** Queues a raw update (update_id is assigned). */
  queueUpdate(update: Json): Json;
  /** Resolves when no update is pending and no API call happened for quietMs (default 100). */
  waitForIdle(options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  /** Resolves with the next finished call of that method (after this call) that matches. */
  waitForCall(
    method: string | RegExp,
    predicate?: (call: ApiCall) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<ApiCall>;
}
