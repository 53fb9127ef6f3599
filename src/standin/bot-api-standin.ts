/**
 * A local stand-in for the Telegram Bot API (node:http on 127.0.0.1), strict like the
 * real one, with a scripting API for tests: users and groups that send messages and
 * press buttons, a log of every call, fault injection and optional rate limits.
 *
 *   const standin = createBotApiStandin();
 *   const { apiRoot } = await standin.start();
 *   const bot = new Bot("1:test", { client: { apiRoot } });
 *   const an = standin.user(42, { first_name: "An" });
 *   an.send("/start");
 *   const reply = await an.waitForReply();
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultInjector, isRateLimitedMethod, RateLimiter } from "./faults.ts";
import { imageSize, mimeFromName, TINY_PNG } from "./files.ts";
import type { MessageEntity } from "./html.ts";
import { MultipartError, parseMultipart } from "./multipart.ts";
import { mulberry32 } from "./prng.ts";
import type {
  AcceptedMessage,
  ApiCall,
  BotApiStandin,
  BotMessage,
  CallbackAnswer,
  ChatView,
  CommandsEntry,
  CommandsView,
  Faults,
  GroupHandle,
  Json,
  MediaOptions,
  MessagePredicate,
  Sender,
  SendOptions,
  StandinCounters,
  StandinOptions,
  StoredFile,
  UploadedFile,
  UserHandle,
  UserProfile,
  WaitOptions,
  WebhookDelivery,
} from "./types.ts";
import {
  badRequest,
  LIMITS,
  normalizeMarkup,
  stableStringify,
  TelegramApiError,
  validateCaption,
  validateMessageText,
  validateReplyMarkup,
} from "./validation.ts";

export type { FaultError, FaultHandle, FaultRule, RateLimitOptions } from "./faults.ts";
export { TINY_PNG } from "./files.ts";
export { escapeHtml, parseTelegramHtml } from "./html.ts";
export type * from "./types.ts";
export { TelegramApiError } from "./validation.ts";

type ChatType = "private" | "group" | "supergroup";
type ChatEvent = { type: "message" | "edit" | "delete"; message: BotMessage };

interface ChatState {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  user?: { id: number; profile: UserProfile };
  known: boolean;
  blocked: boolean;
  /** a group upgraded to a supergroup: the new chat's id (sends to this one get 400 with migrate_to_chat_id) */
  migratedTo?: number;
  messages: BotMessage[];
  incoming: Map<number, Json>;
  nextMessageId: number;
  cursor: number;
  listeners: Set<(ev: ChatEvent) => void>;
}

type Handler = (params: Json, files: UploadedFile[], signal: AbortSignal) => unknown;

const POLLING_METHODS = new Set(["getUpdates"]);
const JSON_FIELDS = new Set([
  "reply_markup",
  "entities",
  "caption_entities",
  "scope",
  "commands",
  "menu_button",
  "allowed_updates",
  "link_preview_options",
  "reply_parameters",
  "media",
]);
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

function bool(v: unknown): boolean {
  return v === true || v === "true" || v === "1" || v === 1;
}

function matches(predicate: MessagePredicate | undefined, m: BotMessage): boolean {
  if (predicate === undefined) return true;
  if (typeof predicate === "function") return predicate(m);
  const text = m.text ?? m.caption ?? "";
  if (typeof predicate === "string") return text.includes(predicate);
  predicate.lastIndex = 0;
  return predicate.test(text);
}

function describeMessage(m: BotMessage): string {
  const content = m.text ?? (m.caption !== undefined ? `[${m.method}] ${m.caption}` : `[${m.method}]`);
  const short = content.length > 80 ? `${content.slice(0, 77)}...` : content;
  return `#${m.message_id}${m.deleted ? " (deleted)" : ""} ${JSON.stringify(short)}`;
}

function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host === "::1";
}

function sleep(ms: number, ...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) {
      if (s.aborted) return done();
      s.addEventListener("abort", done, { once: true });
    }
  });
}

class StandinImpl implements BotApiStandin {
  private readonly opts: StandinOptions;
  private readonly now: () => number;
  private readonly random: () => number;
  private server: Server | undefined;
  private root = "";
  private stopped = false;
  private readonly stopController = new AbortController();
  private readonly chats = new Map<number, ChatState>();
  private readonly userHandles = new Map<number, UserHandle>();
  private readonly groupHandles = new Map<number, GroupHandle>();
  private queue: Json[] = [];
  private allUpdates: Json[] = [];
  private nextUpdateId: number;
  private readonly pollWaiters = new Set<{ wake: () => void; terminate: (reason: string) => void }>();
  private inFlight = 0;
  private lastActivity = 0;
  private nextFileNo = 1;
  private nextQueryNo = 1;
  private readonly queries = new Map<string, { query: Json; answered: boolean }>();
  private readonly commandStore = new Map<string, CommandsEntry>();
  private readonly callListeners = new Set<(call: ApiCall) => void>();
  private hook: { url: string; secret_token?: string; max_connections: number; allowed_updates?: unknown } | undefined;
  private hookError: { date: number; message: string } | undefined;
  private pumping = false;
  private readonly limiter: RateLimiter | undefined;
  private readonly injector: FaultInjector;
  private readonly handlers: Record<string, Handler>;
  private readonly methodByLower = new Map<string, string>();

  readonly sent: ApiCall[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly menuButtons = new Map<string, Json>();
  readonly chatActions: Array<{ chat_id: number; action: string; time: number }> = [];
  readonly accepted: AcceptedMessage[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly counters: StandinCounters = {
    requests: 0,
    byMethod: {},
    errors: 0,
    tooManyRequests: 0,
    rateLimited: 0,
    injected: 0,
  };
  readonly botInfo: Json;
  readonly faults: Faults;
  readonly commands: CommandsView;

  constructor(options: StandinOptions = {}) {
    this.opts = options;
    this.now = options.now ?? Date.now;
    this.random = mulberry32(options.seed ?? 1);
    this.nextUpdateId = options.firstUpdateId ?? 10_000;
    this.limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;
    this.injector = new FaultInjector(this.random, this.now);
    const tokenId = num(options.token?.split(":")[0]);
    this.botInfo = {
      id: options.bot?.id ?? tokenId ?? 7_000_000_001,
      is_bot: true,
      first_name: options.bot?.first_name ?? "Stand-in Bot",
      username: options.bot?.username ?? "standin_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
    const injector = this.injector;
    this.faults = {
      add: (rule) => injector.add(rule),
      clear: () => injector.clear(),
      get log() {
        return injector.log;
      },
      get rules() {
        return injector.rulesActive;
      },
    };
    const store = this.commandStore;
    this.commands = {
      get: (scope, languageCode) => store.get(commandKey(scope, languageCode))?.commands,
      all: () => [...store.values()],
    };
    this.handlers = this.createHandlers();
    for (const name of Object.keys(this.handlers)) this.methodByLower.set(name.toLowerCase(), name);
  }

  // ---------------------------------------------------------------- lifecycle

  get apiRoot(): string {
    if (!this.root) throw new Error("The stand-in is not started: await standin.start() first");
    return this.root;
  }

  async start(): Promise<{ apiRoot: string }> {
    if (this.server) return { apiRoot: this.root };
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.writeJson(res, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${String(error)}`,
          });
        }
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.root = `http://127.0.0.1:${port}`;
    return { apiRoot: this.root };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    for (const w of this.pollWaiters) w.wake();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setImmediate(() => server.closeAllConnections());
    });
  }

  // ---------------------------------------------------------------- HTTP

  private writeJson(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const path = decodeURIComponent(fileMatch[2] ?? "");
      const file = [...this.files.values()].find((f) => f.file_path === path);
      if (!file || !this.tokenOk(fileMatch[1] ?? "")) {
        this.writeJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        return;
      }
      res.writeHead(200, { "content-type": file.mimeType ?? "application/octet-stream" });
      res.end(file.bytes);
      return;
    }
    const m = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    if (!m) {
      await drain(req);
      this.writeJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const token = m[1] ?? "";
    const rawMethod = decodeURIComponent(m[2] ?? "");
    let params: Json;
    let files: UploadedFile[];
    try {
      ({ params, files } = await readParams(req, url));
    } catch (error) {
      const description = error instanceof TelegramApiError ? error.description : `Bad Request: ${String(error)}`;
      this.writeJson(res, 400, { ok: false, error_code: 400, description });
      return;
    }
    if (!this.tokenOk(token)) {
      this.writeJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const outcome = await this.runCall(rawMethod, params, files, abort.signal, "http");
    if (outcome) this.writeJson(res, outcome.status, outcome.body);
  }

  private tokenOk(token: string): boolean {
    return this.opts.token === undefined ? token.length > 0 : token === this.opts.token;
  }

  /** Runs one API call with logging, faults and rate limits. undefined = hung until aborted. */
  private async runCall(
    rawMethod: string,
    params: Json,
    files: UploadedFile[],
    signal: AbortSignal,
    via: ApiCall["via"],
  ): Promise<{ status: number; body: Json } | undefined> {
    const method = this.methodByLower.get(rawMethod.toLowerCase()) ?? rawMethod;
    const call: ApiCall = { method, params, files, time: this.now(), pending: true, via };
    this.sent.push(call);
    this.counters.requests++;
    this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1;
    const polling = POLLING_METHODS.has(method);
    if (!polling) {
      this.inFlight++;
      this.lastActivity = Date.now();
    }
    let body: Json;
    let status = 200;
    try {
      const result = await this.execute(method, params, files, signal, call);
      if (result === HUNG) {
        call.ok = false;
        call.error = { code: 0, description: "hung (no response)" };
        this.finishCall(call);
        return undefined;
      }
      call.ok = true;
      call.result = result;
      body = { ok: true, result };
    } catch (error) {
      const e =
        error instanceof TelegramApiError
          ? error
          : new TelegramApiError(
              500,
              `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
            );
      call.ok = false;
      call.error = { code: e.code, description: e.description };
      body = { ok: false, error_code: e.code, description: e.description };
      if (e.parameters !== undefined) body.parameters = { ...e.parameters };
      if (e.retryAfter !== undefined) {
        call.error.retryAfter = e.retryAfter;
        body.parameters = { ...(body.parameters as Json | undefined), retry_after: e.retryAfter };
      }
      status = e.code;
      this.counters.errors++;
      if (e.code === 429) this.counters.tooManyRequests++;
    } finally {
      if (!polling) {
        this.inFlight--;
        this.lastActivity = Date.now();
      }
    }
    this.finishCall(call);
    return { status, body };
  }

  private finishCall(call: ApiCall): void {
    call.pending = false;
    call.endTime = this.now();
    const idlePoll = call.method === "getUpdates" && call.ok && Array.isArray(call.result) && call.result.length === 0;
    if (this.opts.log && !idlePoll) {
      const target = call.params.chat_id === undefined ? "" : ` chat=${String(call.params.chat_id)}`;
      const outcome = call.ok ? "ok" : `${call.error?.code} ${call.error?.description}`;
      this.opts.log(`[bot-api] ${call.method}${target} -> ${outcome}${call.injected ? " (injected)" : ""}`);
    }
    for (const l of [...this.callListeners]) l(call);
  }

  private async execute(
    method: string,
    params: Json,
    files: UploadedFile[],
    signal: AbortSignal,
    call: ApiCall,
  ): Promise<unknown> {
    const handler = this.handlers[method];
    if (!handler) throw new TelegramApiError(404, "Not Found");
    const chatId = params.chat_id as number | string | undefined;
    const fault = this.injector.pick(method, chatId);
    if (fault) {
      call.injected = true;
      this.counters.injected++;
      if ("hang" in fault) {
        if (fault.ms === undefined) {
          await new Promise<void>((resolve) => {
            signal.addEventListener("abort", () => resolve(), { once: true });
            this.stopController.signal.addEventListener("abort", () => resolve(), { once: true });
          });
          return HUNG;
        }
        // A slow server still does the work: the client may have given up meanwhile.
        await sleep(fault.ms, this.stopController.signal);
      } else if (fault.code === 429) {
        throw new TelegramApiError(
          429,
          fault.description ?? `Too Many Requests: retry after ${fault.retryAfter}`,
          fault.retryAfter,
        );
      } else if (fault.code === 500) {
        throw new TelegramApiError(500, fault.description ?? "Internal Server Error");
      } else if (fault.code === 502) {
        throw new TelegramApiError(502, fault.description ?? "Bad Gateway");
      } else if (fault.code === 403) {
        throw new TelegramApiError(403, fault.description ?? "Forbidden: bot was blocked by the user");
      } else {
        const d = fault.description ?? `Error ${fault.code}`;
        throw new TelegramApiError(400, d.startsWith("Bad Request") ? d : `Bad Request: ${d}`);
      }
    }
    if (this.limiter && isRateLimitedMethod(method)) {
      const id = num(chatId);
      const chat = id === undefined ? undefined : this.chats.get(id);
      const isGroup = chat ? chat.type !== "private" : (id ?? 0) < 0;
      const retryAfter = this.limiter.check(chatId, isGroup, this.now());
      if (retryAfter !== undefined) {
        call.injected = true;
        this.counters.rateLimited++;
        throw new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
      }
    }
    return await handler(params, files, signal);
  }

  // ---------------------------------------------------------------- updates

  private queueRaw(update: Json): Json {
    const full = { ...update, update_id: this.nextUpdateId++ };
    this.queue.push(full);
    this.allUpdates.push(full);
    this.lastActivity = Date.now();
    for (const w of this.pollWaiters) w.wake();
    if (this.hook) void this.pumpWebhook();
    return full;
  }

  queueUpdate(update: Json): Json {
    return this.queueRaw(update);
  }

  /** Every update ever queued, with its update_id (e.g. to replay one as a redelivery). */
  get updates(): readonly Json[] {
    return this.allUpdates;
  }

  get pendingUpdates(): number {
    return this.queue.length;
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) this.queue = this.queue.filter((u) => (u.update_id as number) >= offset);
    else this.queue = this.queue.slice(offset);
  }

  private async getUpdates(p: Json, signal: AbortSignal): Promise<Json[]> {
    if (this.hook) {
      throw new TelegramApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const limit = Math.min(100, Math.max(1, num(p.limit) ?? 100));
    const timeout = Math.min(50, Math.max(0, num(p.timeout) ?? 0));
    this.confirm(num(p.offset));
    for (const w of this.pollWaiters) {
      w.terminate("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    if (this.queue.length === 0 && timeout > 0 && !this.stopped && !signal.aborted) {
      await new Promise<void>((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          this.pollWaiters.delete(waiter);
        };
        const onAbort = () => {
          cleanup();
          resolve();
        };
        const waiter = {
          wake: () => {
            cleanup();
            setImmediate(resolve); // let updates queued in the same tick join the batch
          },
          terminate: (reason: string) => {
            cleanup();
            reject(new TelegramApiError(409, reason));
          },
        };
        const timer = setTimeout(onAbort, timeout * 1000);
        signal.addEventListener("abort", onAbort, { once: true });
        this.pollWaiters.add(waiter);
      });
    }
    if (this.hook) return [];
    return this.queue.slice(0, limit);
  }

  private async pumpWebhook(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const baseDelay = this.opts.webhookRetryDelayMs ?? 100;
    let delay = baseDelay;
    try {
      while (!this.stopped && this.hook && this.queue.length > 0) {
        const hook = this.hook;
        const update = this.queue[0] as Json;
        const delivery: WebhookDelivery = {
          update_id: update.update_id as number,
          time: this.now(),
          secretSent: hook.secret_token !== undefined,
        };
        this.webhookDeliveries.push(delivery);
        let ok = false;
        let replyCall: Json | undefined;
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), this.opts.webhookTimeoutMs ?? 10_000);
        try {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (hook.secret_token !== undefined) headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token;
          const res = await fetch(hook.url, {
            method: "POST",
            headers,
            body: JSON.stringify(update),
            signal: AbortSignal.any([ac.signal, this.stopController.signal]),
          });
          const text = await res.text();
          delivery.status = res.status;
          if (res.ok) {
            ok = true;
            if ((res.headers.get("content-type") ?? "").includes("json") && text.trim() !== "") {
              try {
                const parsed = JSON.parse(text) as unknown;
                if (parsed && typeof parsed === "object" && typeof (parsed as Json).method === "string") {
                  replyCall = parsed as Json;
                }
              } catch {
                // not a webhook reply
              }
            }
          } else {
            delivery.error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
          }
        } catch (error) {
          delivery.error = ac.signal.aborted ? "Read timeout expired" : `Connection failed: ${String(error)}`;
        } finally {
          clearTimeout(timer);
        }
        if (this.hook !== hook) continue;
        if (ok) {
          if (this.queue[0] === update) this.queue.shift();
          delay = baseDelay;
          this.lastActivity = Date.now();
          if (replyCall) {
            const { method, ...params } = replyCall;
            await this.runCall(String(method), params, [], this.stopController.signal, "webhook-reply");
          }
        } else {
          this.hookError = { date: Math.floor(this.now() / 1000), message: delivery.error ?? "unknown error" };
          await sleep(delay, this.stopController.signal);
          delay = Math.min(delay * 2, 2000);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  get webhook(): { url: string; secret_token?: string } | undefined {
    if (!this.hook) return undefined;
    const out: { url: string; secret_token?: string } = { url: this.hook.url };
    if (this.hook.secret_token !== undefined) out.secret_token = this.hook.secret_token;
    return out;
  }

  // ---------------------------------------------------------------- chats & messages

  private chatState(id: number, init: () => Omit<ChatState, "messages" | "incoming" | "listeners" | "cursor">) {
    let chat = this.chats.get(id);
    if (!chat) {
      chat = { ...init(), messages: [], incoming: new Map(), listeners: new Set(), cursor: 0 };
      this.chats.set(id, chat);
    }
    return chat;
  }

  private chatObject(chat: ChatState): Json {
    if (chat.type === "private") {
      const p = chat.user?.profile;
      const out: Json = { id: chat.id, type: "private", first_name: p?.first_name ?? "" };
      if (p?.last_name) out.last_name = p.last_name;
      if (p?.username) out.username = p.username;
      return out;
    }
    const out: Json = { id: chat.id, type: chat.type, title: chat.title ?? "" };
    if (chat.username) out.username = chat.username;
    return out;
  }

  private userObject(id: number, p: UserProfile): Json {
    const out: Json = { id, is_bot: false, first_name: p.first_name };
    if (p.last_name) out.last_name = p.last_name;
    if (p.username) out.username = p.username;
    if (p.language_code) out.language_code = p.language_code;
    if (p.is_premium) out.is_premium = true;
    return out;
  }

  private chatFor(chatId: unknown): ChatState {
    if (chatId === undefined || chatId === null || chatId === "") throw badRequest("chat_id is empty");
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      const name = chatId.slice(1).toLowerCase();
      const chat = [...this.chats.values()].find((c) => c.type !== "private" && c.username?.toLowerCase() === name);
      if (!chat) throw badRequest("chat not found");
      return chat;
    }
    const id = num(chatId);
    const chat = id === undefined ? undefined : this.chats.get(id);
    if (!chat?.known) throw badRequest("chat not found");
    return chat;
  }

  private checkBlocked(chat: ChatState): void {
    if (chat.migratedTo !== undefined) {
      // Telegram's answer for the old id of a group upgraded to a supergroup
      throw new TelegramApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", undefined, {
        migrate_to_chat_id: chat.migratedTo,
      });
    }
    if (!chat.blocked) return;
    if (chat.type === "private") throw new TelegramApiError(403, "Forbidden: bot was blocked by the user");
    throw new TelegramApiError(
      403,
      chat.type === "supergroup"
        ? "Forbidden: bot was kicked from the supergroup chat"
        : "Forbidden: bot was kicked from the group chat",
    );
  }

  private replyTarget(chat: ChatState, p: Json): number | undefined {
    const rp = p.reply_parameters as Json | undefined;
    const id = num(rp?.message_id ?? p.reply_to_message_id);
    if (id === undefined) return undefined;
    const exists = chat.incoming.has(id) || chat.messages.some((m) => m.message_id === id && !m.deleted);
    if (!exists) {
      if (bool(rp?.allow_sending_without_reply ?? p.allow_sending_without_reply)) return undefined;
      throw badRequest("message to be replied not found");
    }
    return id;
  }

  private emit(chat: ChatState, ev: ChatEvent): void {
    for (const l of [...chat.listeners]) l(ev);
  }

  private toTelegram(m: BotMessage): Json {
    const chat = this.chats.get(m.chat_id) as ChatState;
    const out: Json = { message_id: m.message_id, from: this.botInfo, chat: this.chatObject(chat), date: m.date };
    if (m.edit_date !== undefined) out.edit_date = m.edit_date;
    if (m.reply_to_message_id !== undefined) {
      const incoming = chat.incoming.get(m.reply_to_message_id);
      out.reply_to_message = incoming ?? {
        message_id: m.reply_to_message_id,
        chat: this.chatObject(chat),
        date: m.date,
      };
    }
    if (m.text !== undefined) {
      out.text = m.text;
      if (m.entities.length > 0) out.entities = m.entities;
    }
    if (m.photo) {
      const f = m.photo;
      out.photo = [
        { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.size, width: f.width, height: f.height },
      ];
    }
    if (m.document) {
      const f = m.document;
      const doc: Json = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.size };
      if (f.filename) doc.file_name = f.filename;
      if (f.mimeType) doc.mime_type = f.mimeType;
      out.document = doc;
    }
    if (m.caption !== undefined) {
      out.caption = m.caption;
      if (m.entities.length > 0) out.caption_entities = m.entities;
    }
    if (m.reply_markup?.inline_keyboard) out.reply_markup = { inline_keyboard: m.reply_markup.inline_keyboard };
    return out;
  }

  private addBotMessage(chat: ChatState, method: string, p: Json, fields: Partial<BotMessage>): BotMessage {
    const now = this.now();
    const message: BotMessage = {
      message_id: chat.nextMessageId++,
      chat_id: chat.id,
      method,
      date: Math.floor(now / 1000),
      time: now,
      entities: [],
      history: [],
      deleted: false,
      params: p,
      ...fields,
    };
    if (typeof p.parse_mode === "string") message.parse_mode = p.parse_mode;
    chat.messages.push(message);
    const fileHash = (f: StoredFile | undefined) =>
      f
        ? createHash("sha1")
            .update(f.bytes)
            .update(f.url ?? "")
            .digest("hex")
        : "";
    const fingerprint = createHash("sha1")
      .update(
        stableStringify([
          method,
          message.text ?? "",
          message.caption ?? "",
          message.entities,
          message.reply_markup,
          fileHash(message.photo),
          fileHash(message.document),
        ]),
      )
      .digest("hex");
    this.accepted.push({ chat_id: chat.id, message_id: message.message_id, method, fingerprint, time: now });
    this.emit(chat, { type: "message", message });
    return message;
  }

  duplicates(): AcceptedMessage[][] {
    const groups = new Map<string, AcceptedMessage[]>();
    for (const a of this.accepted) {
      const key = `${a.chat_id}|${a.fingerprint}`;
      const g = groups.get(key);
      if (g) g.push(a);
      else groups.set(key, [a]);
    }
    return [...groups.values()].filter((g) => g.length > 1);
  }

  private storeFile(kind: string, bytes: Buffer, filename?: string, mimeType?: string, url?: string): StoredFile {
    const n = this.nextFileNo++;
    const prefix = kind === "photo" ? "AgAC" : kind === "sticker" ? "CAAC" : "BQAC";
    const ext = filename?.includes(".") ? filename.split(".").pop() : kind === "photo" ? "jpg" : "dat";
    const file: StoredFile = {
      file_id: `${prefix}standin${String(n).padStart(6, "0")}`,
      file_unique_id: `AQAD${String(n).padStart(6, "0")}`,
      file_path: `${kind === "photo" ? "photos" : kind === "sticker" ? "stickers" : "documents"}/file_${n}.${ext}`,
      bytes,
      size: bytes.length,
    };
    if (filename !== undefined) file.filename = filename;
    if (mimeType !== undefined) file.mimeType = mimeType;
    if (url !== undefined) file.url = url;
    if (kind === "photo" || kind === "sticker") {
      const size = imageSize(bytes);
      file.width = size?.width ?? 512;
      file.height = size?.height ?? 512;
    }
    this.files.set(file.file_id, file);
    return file;
  }

  private inputFile(kind: "photo" | "document", value: unknown, uploads: UploadedFile[]): StoredFile {
    let upload: UploadedFile | undefined;
    if (typeof value === "string" && value.startsWith("attach://")) {
      upload = uploads.find((u) => u.field === value.slice("attach://".length));
    } else if (value === undefined) {
      upload = uploads.find((u) => u.field === kind);
    } else if (typeof value === "string") {
      const existing = this.files.get(value);
      if (existing) return existing;
      if (/^https?:\/\//.test(value)) {
        return this.storeFile(kind, Buffer.alloc(0), value.split("/").pop(), undefined, value);
      }
      throw badRequest("wrong file identifier/HTTP URL specified");
    }
    if (!upload) throw badRequest(`there is no ${kind} in the request`);
    if (upload.bytes.length === 0) throw badRequest("file must be non-empty");
    if (kind === "photo") {
      if (upload.bytes.length > 10 * 1024 * 1024) throw badRequest("file is too big");
      if (!imageSize(upload.bytes)) throw badRequest("IMAGE_PROCESS_FAILED");
    } else if (upload.bytes.length > 50 * 1024 * 1024) {
      throw badRequest("file is too big");
    }
    const filename = upload.filename ?? (kind === "photo" ? "photo.jpg" : "document.dat");
    return this.storeFile(kind, upload.bytes, filename, mimeFromName(filename, upload.contentType));
  }

  private findBotMessage(chat: ChatState, messageId: unknown, action: "edit" | "delete"): BotMessage {
    const id = num(messageId);
    if (id === undefined) throw badRequest("message identifier is not specified");
    const message = chat.messages.find((m) => m.message_id === id && !m.deleted);
    if (!message) {
      if (action === "edit" && chat.incoming.has(id)) throw badRequest("message can't be edited");
      throw badRequest(`message to ${action} not found`);
    }
    return message;
  }

  private applyEdit(chat: ChatState, message: BotMessage, method: string, changes: Partial<BotMessage>): Json {
    const current = message;
    message.history.push({
      time: this.now(),
      method: message.editedBy ?? message.method,
      entities: current.entities,
      ...(current.text !== undefined ? { text: current.text } : {}),
      ...(current.caption !== undefined ? { caption: current.caption } : {}),
      ...(current.rawText !== undefined ? { rawText: current.rawText } : {}),
      ...(current.parse_mode !== undefined ? { parse_mode: current.parse_mode } : {}),
      ...(current.reply_markup !== undefined ? { reply_markup: current.reply_markup } : {}),
    });
    Object.assign(message, changes);
    if (!("reply_markup" in changes) || changes.reply_markup === undefined) delete message.reply_markup;
    message.editedBy = method;
    message.edit_date = Math.floor(this.now() / 1000);
    this.emit(chat, { type: "edit", message });
    return this.toTelegram(message);
  }

  // ---------------------------------------------------------------- API methods

  private createHandlers(): Record<string, Handler> {
    const ok = () => true;
    return {
      getMe: () => this.botInfo,
      logOut: ok,
      close: ok,
      getUpdates: (p, _f, signal) => this.getUpdates(p, signal),
      setWebhook: (p) => {
        const url = str(p.url) ?? "";
        if (url === "") {
          this.hook = undefined;
          if (bool(p.drop_pending_updates)) this.queue = [];
          return true;
        }
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw badRequest("bad webhook: Failed to resolve host: Name or service not known");
        }
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
          throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }
        if (!isLoopbackHost(parsed.hostname)) {
          throw badRequest("bad webhook: the stand-in delivers only to loopback addresses (127.0.0.1, localhost, ::1)");
        }
        const secret = str(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
          throw badRequest("secret token contains unallowed characters");
        }
        if (bool(p.drop_pending_updates)) this.queue = [];
        this.hook = { url, max_connections: num(p.max_connections) ?? 40 };
        if (secret !== undefined) this.hook.secret_token = secret;
        if (p.allowed_updates !== undefined) this.hook.allowed_updates = p.allowed_updates;
        this.hookError = undefined;
        for (const w of this.pollWaiters) w.terminate("Conflict: terminated by setWebhook request");
        void this.pumpWebhook();
        return true;
      },
      deleteWebhook: (p) => {
        this.hook = undefined;
        if (bool(p.drop_pending_updates)) this.queue = [];
        return true;
      },
      getWebhookInfo: () => {
        const info: Json = {
          url: this.hook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        };
        if (this.hook) {
          info.max_connections = this.hook.max_connections;
          info.ip_address = "127.0.0.1";
          if (this.hook.allowed_updates !== undefined) info.allowed_updates = this.hook.allowed_updates;
          if (this.hookError) {
            info.last_error_date = this.hookError.date;
            info.last_error_message = this.hookError.message;
          }
        }
        return info;
      },
      sendMessage: (p) => {
        const chat = this.chatFor(p.chat_id);
        const f = validateMessageText(p.text, p.parse_mode, p.entities);
        const markup = normalizeMarkup(validateReplyMarkup(p.reply_markup));
        const replyTo = this.replyTarget(chat, p);
        this.checkBlocked(chat);
        const fields: Partial<BotMessage> = { text: f.text, rawText: String(p.text), entities: f.entities };
        if (markup) fields.reply_markup = markup;
        if (replyTo !== undefined) fields.reply_to_message_id = replyTo;
        return this.toTelegram(this.addBotMessage(chat, "sendMessage", p, fields));
      },
      sendPhoto: (p, files) => this.sendMedia("photo", p, files),
      sendDocument: (p, files) => this.sendMedia("document", p, files),
      editMessageText: (p) => {
        if (p.inline_message_id !== undefined && p.chat_id === undefined) throw badRequest("message to edit not found");
        const chat = this.chatFor(p.chat_id);
        const message = this.findBotMessage(chat, p.message_id, "edit");
        const f = validateMessageText(p.text, p.parse_mode, p.entities);
        const markup = normalizeMarkup(validateReplyMarkup(p.reply_markup));
        if (message.text === undefined) throw badRequest("there is no text in the message to edit");
        if (
          message.text === f.text &&
          stableStringify(message.entities) === stableStringify(f.entities) &&
          stableStringify(message.reply_markup) === stableStringify(markup)
        ) {
          throw badRequest(NOT_MODIFIED);
        }
        this.checkBlocked(chat);
        const changes: Partial<BotMessage> = { text: f.text, rawText: String(p.text), entities: f.entities };
        if (typeof p.parse_mode === "string") changes.parse_mode = p.parse_mode;
        else changes.parse_mode = undefined as unknown as string;
        changes.reply_markup = markup;
        const out = this.applyEdit(chat, message, "editMessageText", changes);
        if (message.parse_mode === undefined) delete message.parse_mode;
        return out;
      },
      editMessageCaption: (p) => {
        const chat = this.chatFor(p.chat_id);
        const message = this.findBotMessage(chat, p.message_id, "edit");
        if (message.method === "sendMessage") throw badRequest("there is no caption in the message to edit");
        const f = validateCaption(p.caption, p.parse_mode, p.caption_entities);
        const markup = normalizeMarkup(validateReplyMarkup(p.reply_markup));
        if (
          message.caption === f?.text &&
          stableStringify(message.entities) === stableStringify(f?.entities ?? []) &&
          stableStringify(message.reply_markup) === stableStringify(markup)
        ) {
          throw badRequest(NOT_MODIFIED);
        }
        this.checkBlocked(chat);
        const changes: Partial<BotMessage> = { entities: f?.entities ?? [], reply_markup: markup };
        const out = this.applyEdit(chat, message, "editMessageCaption", changes);
        if (f) {
          message.caption = f.text;
          message.rawText = String(p.caption);
        } else {
          delete message.caption;
          delete message.rawText;
        }
        return { ...out, ...(f ? { caption: f.text } : {}) };
      },
      editMessageReplyMarkup: (p) => {
        if (p.inline_message_id !== undefined && p.chat_id === undefined) throw badRequest("message to edit not found");
        const chat = this.chatFor(p.chat_id);
        const message = this.findBotMessage(chat, p.message_id, "edit");
        const markup = normalizeMarkup(validateReplyMarkup(p.reply_markup));
        if (stableStringify(message.reply_markup) === stableStringify(markup)) throw badRequest(NOT_MODIFIED);
        this.checkBlocked(chat);
        return this.applyEdit(chat, message, "editMessageReplyMarkup", { reply_markup: markup });
      },
      deleteMessage: (p) => {
        const chat = this.chatFor(p.chat_id);
        const id = num(p.message_id);
        if (id === undefined) throw badRequest("message identifier is not specified");
        if (chat.incoming.has(id)) {
          chat.incoming.delete(id);
          return true;
        }
        const message = this.findBotMessage(chat, id, "delete");
        message.deleted = true;
        message.deletedAt = this.now();
        this.emit(chat, { type: "delete", message });
        return true;
      },
      answerCallbackQuery: (p) => {
        const id = str(p.callback_query_id);
        const q = id === undefined ? undefined : this.queries.get(id);
        if (!q || q.answered) throw badRequest(QUERY_INVALID);
        const text = str(p.text);
        if (text !== undefined && text.length > LIMITS.callbackAnswerText) throw badRequest("MESSAGE_TOO_LONG");
        q.answered = true;
        const answer: CallbackAnswer = { callback_query_id: id as string, time: this.now(), query: q.query };
        if (text !== undefined) answer.text = text;
        if (p.show_alert !== undefined) answer.show_alert = bool(p.show_alert);
        if (p.url !== undefined) answer.url = str(p.url) as string;
        const cache = num(p.cache_time);
        if (cache !== undefined) answer.cache_time = cache;
        this.callbackAnswers.push(answer);
        return true;
      },
      sendChatAction: (p) => {
        const chat = this.chatFor(p.chat_id);
        const action = str(p.action) ?? "";
        if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
        this.checkBlocked(chat);
        this.chatActions.push({ chat_id: chat.id, action, time: this.now() });
        return true;
      },
      setMyCommands: (p) => {
        const commands = p.commands;
        if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
        if (commands.length > 100) throw badRequest("too many commands");
        const clean: Array<{ command: string; description: string }> = [];
        for (const c of commands as Json[]) {
          const command = str(c?.command) ?? "";
          const description = str(c?.description) ?? "";
          if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
          if (description.trim() === "" || description.length > 256) {
            throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
          }
          clean.push({ command, description });
        }
        const scope = this.checkScope(p.scope);
        const language_code = this.checkLanguage(p.language_code);
        const key = commandKey(scope, language_code);
        if (clean.length === 0) this.commandStore.delete(key);
        else this.commandStore.set(key, { scope, language_code, commands: clean });
        return true;
      },
      getMyCommands: (p) => {
        const key = commandKey(this.checkScope(p.scope), this.checkLanguage(p.language_code));
        return this.commandStore.get(key)?.commands ?? [];
      },
      deleteMyCommands: (p) => {
        this.commandStore.delete(commandKey(this.checkScope(p.scope), this.checkLanguage(p.language_code)));
        return true;
      },
      setChatMenuButton: (p) => {
        const key = p.chat_id === undefined ? "default" : String(this.chatFor(p.chat_id).id);
        const button = (p.menu_button as Json | undefined) ?? { type: "default" };
        if (typeof button !== "object" || !["commands", "web_app", "default"].includes(String(button.type))) {
          throw badRequest("can't parse menu button JSON object");
        }
        this.menuButtons.set(key, button);
        return true;
      },
      getChatMenuButton: (p) => {
        const key = p.chat_id === undefined ? "default" : String(this.chatFor(p.chat_id).id);
        return this.menuButtons.get(key) ?? this.menuButtons.get("default") ?? { type: "commands" };
      },
      getChat: (p) => this.chatObject(this.chatFor(p.chat_id)),
      getFile: (p) => {
        const file = this.files.get(str(p.file_id) ?? "");
        if (!file) throw badRequest("invalid file_id");
        return {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_size: file.size,
          file_path: file.file_path,
        };
      },
    };
  }

  private sendMedia(kind: "photo" | "document", p: Json, uploads: UploadedFile[]): Json {
    const chat = this.chatFor(p.chat_id);
    const caption = validateCaption(p.caption, p.parse_mode, p.caption_entities);
    const markup = normalizeMarkup(validateReplyMarkup(p.reply_markup));
    const replyTo = this.replyTarget(chat, p);
    const file = this.inputFile(kind, p[kind], uploads);
    this.checkBlocked(chat);
    const fields: Partial<BotMessage> = { entities: caption?.entities ?? [], [kind]: file };
    if (caption) {
      fields.caption = caption.text;
      fields.rawText = String(p.caption);
    }
    if (markup) fields.reply_markup = markup;
    if (replyTo !== undefined) fields.reply_to_message_id = replyTo;
    const method = kind === "photo" ? "sendPhoto" : "sendDocument";
    return this.toTelegram(this.addBotMessage(chat, method, p, fields));
  }

  private checkScope(scope: unknown): Json {
    if (scope === undefined || scope === null) return { type: "default" };
    const s = scope as Json;
    const types = [
      "default",
      "all_private_chats",
      "all_group_chats",
      "all_chat_administrators",
      "chat",
      "chat_administrators",
      "chat_member",
    ];
    if (typeof s !== "object" || !types.includes(String(s.type))) throw badRequest("can't parse BotCommandScope");
    if (String(s.type).startsWith("chat")) this.chatFor(s.chat_id);
    return s;
  }

  private checkLanguage(code: unknown): string {
    const c = str(code) ?? "";
    if (c !== "" && !/^[a-z]{2}$/.test(c)) throw badRequest("invalid language code specified");
    return c;
  }

  // ---------------------------------------------------------------- scripting

  user(id: number, profile?: UserProfile): UserHandle {
    const existing = this.userHandles.get(id);
    const chat = this.chatState(id, () => ({
      id,
      type: "private",
      known: false,
      blocked: false,
      nextMessageId: 1,
      user: { id, profile: profile ?? { first_name: `User ${id}` } },
    }));
    if (profile && chat.user) chat.user.profile = profile;
    if (profile?.known) chat.known = true;
    if (existing) return existing;
    const userState = chat.user as { id: number; profile: UserProfile };
    const self = this;
    const sender = this.makeSender(chat, userState);
    const setBlocked = (blocked: boolean, notify: boolean) => {
      if (chat.blocked === blocked) return;
      chat.blocked = blocked;
      if (!notify || !chat.known) return;
      const status = (s: string) => ({ user: this.botInfo, status: s, ...(s === "kicked" ? { until_date: 0 } : {}) });
      this.queueRaw({
        my_chat_member: {
          chat: this.chatObject(chat),
          from: this.userObject(id, userState.profile),
          date: Math.floor(this.now() / 1000),
          old_chat_member: status(blocked ? "member" : "kicked"),
          new_chat_member: status(blocked ? "kicked" : "member"),
        },
      });
    };
    const handle: UserHandle = {
      ...this.makeView(chat),
      ...sender,
      id,
      get profile() {
        return userState.profile;
      },
      get user() {
        return self.userObject(id, userState.profile);
      },
      get blocked() {
        return chat.blocked;
      },
      get cursor() {
        return chat.cursor;
      },
      block: (options) => setBlocked(true, options?.notify ?? true),
      unblock: (options) => setBlocked(false, options?.notify ?? true),
    };
    this.userHandles.set(id, handle);
    return handle;
  }

  group(id: number, title?: string, options?: { type?: "group" | "supergroup"; username?: string }): GroupHandle {
    const chat = this.chatState(id, () => ({
      id,
      type: options?.type ?? "group",
      title: title ?? `Group ${id}`,
      known: true,
      blocked: false,
      nextMessageId: 1,
    }));
    if (title !== undefined) chat.title = title;
    if (options?.type) chat.type = options.type;
    if (options?.username) chat.username = options.username;
    const existing = this.groupHandles.get(id);
    if (existing) return existing;
    const handle: GroupHandle = {
      ...this.makeView(chat),
      id,
      get title() {
        return chat.title ?? "";
      },
      get cursor() {
        return chat.cursor;
      },
      member: (user, profile) => {
        const uid = typeof user === "number" ? user : user.id;
        const p = typeof user === "number" ? (profile ?? this.chats.get(uid)?.user?.profile) : user.profile;
        const state = { id: uid, profile: p ?? { first_name: `User ${uid}` } };
        const self = this;
        return {
          ...this.makeSender(chat, state),
          get user() {
            return self.userObject(uid, state.profile);
          },
        };
      },
      removeBot: (options) => {
        if (chat.blocked) return;
        chat.blocked = true;
        if (options?.notify === false) return;
        const status = (s: string) => ({ user: this.botInfo, status: s });
        this.queueRaw({
          my_chat_member: {
            chat: this.chatObject(chat),
            from: this.actorObject(options?.by),
            date: Math.floor(this.now() / 1000),
            old_chat_member: status("member"),
            new_chat_member: status("left"),
          },
        });
      },
      upgradeToSupergroup: (newId, options) => {
        if (chat.type !== "group") throw new Error(`Chat ${id} is not a basic group`);
        if (chat.migratedTo !== undefined) throw new Error(`Chat ${id} was already upgraded to ${chat.migratedTo}`);
        if (newId >= -1000000000000 || this.chats.has(newId)) {
          throw new Error(`A supergroup id looks like -100…, unused (got ${newId})`);
        }
        const upgraded = this.group(newId, chat.title, { type: "supergroup" });
        const target = this.chats.get(newId)!;
        target.blocked = chat.blocked;
        chat.migratedTo = newId;
        if (options?.notify !== false && !chat.blocked) {
          // what the bot receives: a service message in the old group, then one in the new supergroup
          const from = this.actorObject(options?.by);
          const date = Math.floor(this.now() / 1000);
          const inOld = {
            message_id: chat.nextMessageId++,
            from,
            chat: this.chatObject(chat),
            date,
            migrate_to_chat_id: newId,
          };
          const inNew = {
            message_id: target.nextMessageId++,
            from,
            chat: this.chatObject(target),
            date,
            migrate_from_chat_id: id,
          };
          chat.incoming.set(inOld.message_id, inOld);
          target.incoming.set(inNew.message_id, inNew);
          this.queueRaw({ message: inOld });
          this.queueRaw({ message: inNew });
        }
        return upgraded;
      },
    };
    this.groupHandles.set(id, handle);
    return handle;
  }

  /** The user who did something in a group: a known user, an id, or Telegram's anonymous group admin. */
  private actorObject(by: UserHandle | number | undefined): Json {
    if (by === undefined) {
      return { id: 1087968824, is_bot: true, first_name: "Group", username: "GroupAnonymousBot" };
    }
    const uid = typeof by === "number" ? by : by.id;
    return this.userObject(uid, this.chats.get(uid)?.user?.profile ?? { first_name: `User ${uid}` });
  }

  private makeView(chat: ChatState): Omit<ChatView, "cursor"> {
    const defaultTimeout = () => this.opts.waitTimeoutMs ?? 3000;
    const waitFor = (
      kind: "message" | "edit",
      predicate: MessagePredicate | undefined,
      options: WaitOptions | undefined,
    ): Promise<BotMessage> => {
      const timeoutMs = options?.timeoutMs ?? defaultTimeout();
      const from = options?.since ?? chat.cursor;
      const startedAt = this.now();
      const firstCall = this.sent.length;
      return new Promise((resolve, reject) => {
        let index = from;
        const finish = () => {
          clearTimeout(timer);
          chat.listeners.delete(listener);
        };
        const scan = (): boolean => {
          if (kind !== "message") return false;
          while (index < chat.messages.length) {
            const m = chat.messages[index] as BotMessage;
            index++;
            if (matches(predicate, m)) {
              chat.cursor = Math.max(chat.cursor, index);
              finish();
              resolve(m);
              return true;
            }
          }
          return false;
        };
        const listener = (ev: ChatEvent) => {
          if (kind === "message" && ev.type === "message") scan();
          else if (kind === "edit" && ev.type === "edit" && matches(predicate, ev.message)) {
            finish();
            resolve(ev.message);
          }
        };
        const timer = setTimeout(() => {
          finish();
          const seen = kind === "message" ? chat.messages.slice(from) : [];
          const failures = this.sent
            .slice(firstCall)
            .filter((c) => c.ok === false && String(c.params.chat_id) === String(chat.id))
            .map((c) => `${c.method} -> ${c.error?.code} ${c.error?.description}`);
          const lines = [
            `Timed out after ${timeoutMs} ms waiting for ${kind === "message" ? "a bot message" : "an edit"} in chat ${chat.id}${predicate === undefined ? "" : ` matching ${String(predicate)}`}.`,
            kind === "message"
              ? `Messages since index ${from}: ${seen.length ? seen.map(describeMessage).join(", ") : "none"}.`
              : "",
            failures.length ? `Failed API calls for this chat meanwhile: ${failures.join("; ")}.` : "",
            this.queue.length ? `${this.queue.length} update(s) still pending: is the bot running?` : "",
            `(waited since ${new Date(startedAt).toISOString()})`,
          ];
          reject(new Error(lines.filter(Boolean).join("\n")));
        }, timeoutMs);
        chat.listeners.add(listener);
        scan();
      });
    };
    return {
      chatId: chat.id,
      messages: () => [...chat.messages],
      last: () => chat.messages.filter((m) => !m.deleted).at(-1),
      waitForMessage: (predicate, options) => waitFor("message", predicate, options),
      waitForReply: (options) => waitFor("message", undefined, options),
      waitForEdit: (predicate, options) => waitFor("edit", predicate, options),
    };
  }

  private makeSender(chat: ChatState, user: { id: number; profile: UserProfile }): Sender {
    const base = (): Json => {
      if (chat.type === "private" && chat.blocked) {
        throw new Error(`User ${user.id} has blocked the bot; call unblock() before sending`);
      }
      chat.known = true;
      chat.cursor = chat.messages.length;
      const message: Json = {
        message_id: chat.nextMessageId++,
        from: this.userObject(user.id, user.profile),
        chat: this.chatObject(chat),
        date: Math.floor(this.now() / 1000),
      };
      return message;
    };
    const post = (message: Json, replyTo?: number): Json => {
      if (replyTo !== undefined) {
        const target =
          chat.incoming.get(replyTo) ??
          (() => {
            const m = chat.messages.find((x) => x.message_id === replyTo);
            return m ? this.toTelegram(m) : undefined;
          })();
        if (!target) throw new Error(`No message #${replyTo} in chat ${chat.id} to reply to`);
        message.reply_to_message = target;
      }
      chat.incoming.set(message.message_id as number, message);
      this.queueRaw({ message });
      return message;
    };
    const media = (kind: "photo" | "document" | "sticker", options: MediaOptions & Json, extra: Json) => {
      const message = base();
      const bytes = options.bytes ? Buffer.from(options.bytes) : TINY_PNG;
      const filename = kind === "document" ? ((options.fileName as string | undefined) ?? "file.pdf") : undefined;
      const mime =
        kind === "document" ? ((options.mimeType as string | undefined) ?? mimeFromName(filename)) : undefined;
      const file = this.storeFile(kind, bytes, filename, mime);
      if (kind === "photo") {
        message.photo = [
          {
            file_id: file.file_id,
            file_unique_id: file.file_unique_id,
            file_size: file.size,
            width: file.width,
            height: file.height,
          },
        ];
      } else if (kind === "document") {
        const doc: Json = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
        if (filename) doc.file_name = filename;
        if (mime) doc.mime_type = mime;
        message.document = doc;
      } else {
        message.sticker = {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          file_size: file.size,
          ...extra,
        };
      }
      if (typeof options.caption === "string" && options.caption !== "") message.caption = options.caption;
      return post(message, options.replyTo);
    };
    return {
      send: (text: string, options?: SendOptions) => {
        const message = base();
        message.text = text;
        const entities = options?.entities ? [...options.entities] : [];
        const command = /^\/[^\s]+/.exec(text);
        if (command && !options?.entities) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
        if (entities.length > 0) message.entities = entities;
        if (options?.forwardedFrom) {
          message.forward_origin = { type: "hidden_user", sender_user_name: options.forwardedFrom, date: message.date };
        }
        return post(message, options?.replyTo);
      },
      press: (button, options) => this.press(chat, user, button, options?.messageId),
      forgeCallback: (data, options) => this.forgeCallback(chat, user, data, options?.messageId),
      sendPhoto: (options) => media("photo", { ...options }, {}),
      sendDocument: (options) => media("document", { ...options }, {}),
      sendSticker: (options) => media("sticker", {}, { emoji: options?.emoji ?? "👍" }),
      editMessage: (messageId, text) => {
        const original = chat.incoming.get(messageId);
        if (!original) throw new Error(`No message #${messageId} from a user in chat ${chat.id}`);
        const edited: Json = { ...original, text, edit_date: Math.floor(this.now() / 1000) };
        delete edited.entities;
        const command = /^\/[^\s]+/.exec(text);
        if (command) edited.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
        chat.incoming.set(messageId, edited);
        chat.cursor = chat.messages.length;
        this.queueRaw({ edited_message: edited });
        return edited;
      },
    };
  }

  private press(
    chat: ChatState,
    user: { id: number; profile: UserProfile },
    target: string | RegExp,
    messageId: number | undefined,
  ): Json {
    if (chat.type === "private" && chat.blocked) {
      throw new Error(`User ${user.id} has blocked the bot; call unblock() before pressing buttons`);
    }
    const hit = (text: string | undefined) =>
      text !== undefined && (typeof target === "string" ? text === target : target.test(text));
    const candidates = chat.messages
      .filter((m) => !m.deleted && (messageId === undefined || m.message_id === messageId))
      .reverse();
    if (messageId !== undefined && candidates.length === 0) {
      const known = chat.messages.filter((m) => !m.deleted).map((m) => `#${m.message_id}`);
      throw new Error(
        `No bot message #${messageId} in chat ${chat.id} (messages: ${known.join(", ") || "none"}) to press "${String(target)}" on`,
      );
    }
    for (const m of candidates) {
      for (const row of m.reply_markup?.inline_keyboard ?? []) {
        for (const b of row) {
          if (!hit(b.text) && !hit(b.callback_data)) continue;
          if (b.callback_data === undefined) {
            const kind = Object.keys(b).find((k) => k !== "text") ?? "no action";
            throw new Error(`Button "${b.text}" of message #${m.message_id} is not a callback button (it has ${kind})`);
          }
          const id = `${this.botInfo.id}${String(this.nextQueryNo++).padStart(8, "0")}`;
          const query: Json = {
            id,
            from: this.userObject(user.id, user.profile),
            message: this.toTelegram(m),
            chat_instance: String(-Math.abs(chat.id) * 7919),
            data: b.callback_data,
          };
          this.queries.set(id, { query, answered: false });
          chat.known = true;
          chat.cursor = chat.messages.length;
          this.queueRaw({ callback_query: query });
          return query;
        }
      }
    }
    const available = chat.messages
      .filter((m) => !m.deleted && m.reply_markup?.inline_keyboard?.length)
      .reverse()
      .map((m) => {
        const buttons = (m.reply_markup?.inline_keyboard ?? [])
          .flat()
          .map((b) => (b.callback_data !== undefined ? `"${b.text}" (data: ${b.callback_data})` : `"${b.text}" (url)`));
        return `#${m.message_id}: ${buttons.join(", ")}`;
      });
    throw new Error(
      `No inline button "${String(target)}" ${messageId === undefined ? "in the bot's messages" : `in message #${messageId}`} to chat ${chat.id}. ` +
        (available.length
          ? `Available buttons:\n  ${available.join("\n  ")}`
          : "The bot has sent no inline keyboard here."),
    );
  }

  /** A callback query with any data on a bot message of the chat (what a modified client could send). */
  private forgeCallback(
    chat: ChatState,
    user: { id: number; profile: UserProfile },
    data: string,
    messageId: number | undefined,
  ): Json {
    const m = chat.messages.filter((x) => !x.deleted && (messageId === undefined || x.message_id === messageId)).at(-1);
    if (!m)
      throw new Error(
        `No bot message${messageId === undefined ? "" : ` #${messageId}`} in chat ${chat.id} to attach a callback to`,
      );
    const id = `${this.botInfo.id}${String(this.nextQueryNo++).padStart(8, "0")}`;
    const query: Json = {
      id,
      from: this.userObject(user.id, user.profile),
      message: this.toTelegram(m),
      chat_instance: String(-Math.abs(chat.id) * 7919),
      data,
    };
    this.queries.set(id, { query, answered: false });
    chat.cursor = chat.messages.length;
    this.queueRaw({ callback_query: query });
    return query;
  }

  // ---------------------------------------------------------------- inspection

  calls(method: string | RegExp): ApiCall[] {
    return this.sent.filter((c) => (typeof method === "string" ? c.method === method : method.test(c.method)));
  }

  waitForIdle(options?: { quietMs?: number; timeoutMs?: number }): Promise<void> {
    const quietMs = options?.quietMs ?? 100;
    const timeoutMs = options?.timeoutMs ?? 5000;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const tick = () => {
        const idle =
          this.queue.length === 0 && this.inFlight === 0 && !this.pumping && Date.now() - this.lastActivity >= quietMs;
        if (idle) return resolve();
        if (Date.now() - started > timeoutMs) {
          return reject(
            new Error(
              `waitForIdle timed out after ${timeoutMs} ms: ${this.queue.length} pending update(s), ${this.inFlight} call(s) in flight` +
                (this.queue.length ? " (is the bot running?)" : ""),
            ),
          );
        }
        setTimeout(tick, 10);
      };
      tick();
    });
  }

  waitForCall(
    method: string | RegExp,
    predicate?: (call: ApiCall) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<ApiCall> {
    const timeoutMs = options?.timeoutMs ?? this.opts.waitTimeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const listener = (call: ApiCall) => {
        const nameOk = typeof method === "string" ? call.method === method : method.test(call.method);
        if (nameOk && (!predicate || predicate(call))) {
          clearTimeout(timer);
          this.callListeners.delete(listener);
          resolve(call);
        }
      };
      const timer = setTimeout(() => {
        this.callListeners.delete(listener);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a ${String(method)} call`));
      }, timeoutMs);
      this.callListeners.add(listener);
    });
  }
}

const HUNG = Symbol("hung");

function commandKey(scope: Json | undefined, languageCode: string | undefined): string {
  return `${stableStringify(scope ?? { type: "default" })}|${languageCode ?? ""}`;
}

async function drain(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readParams(req: IncomingMessage, url: URL): Promise<{ params: Json; files: UploadedFile[] }> {
  const params: Json = {};
  const files: UploadedFile[] = [];
  for (const [k, v] of url.searchParams) params[k] = v;
  const body = await drain(req);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length > 0) {
    if (type.startsWith("application/json")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw badRequest("can't parse JSON request body");
      }
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) Object.assign(params, parsed);
    } else if (type.startsWith("multipart/form-data")) {
      try {
        for (const part of parseMultipart(body, req.headers["content-type"] ?? "")) {
          if (part.filename !== undefined) {
            const file: UploadedFile = { field: part.name, bytes: part.data };
            file.filename = part.filename;
            if (part.contentType !== undefined) file.contentType = part.contentType;
            files.push(file);
          } else {
            params[part.name] = part.data.toString("utf8");
          }
        }
      } catch (error) {
        if (error instanceof MultipartError) throw badRequest(`can't parse multipart body: ${error.message}`);
        throw error;
      }
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = v;
    }
  }
  for (const key of JSON_FIELDS) {
    const v = params[key];
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
      try {
        params[key] = JSON.parse(v);
      } catch {
        throw badRequest(
          key === "reply_markup" ? "can't parse reply keyboard markup JSON object" : `can't parse ${key} JSON object`,
        );
      }
    }
  }
  return { params, files };
}

/** Creates a stand-in; call start() to listen on 127.0.0.1. */
export function createBotApiStandin(options?: StandinOptions): BotApiStandin {
  return new StandinImpl(options);
}

export type { MessageEntity };
