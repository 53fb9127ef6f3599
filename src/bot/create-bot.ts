// Builds the bot; never starts it (src/main.ts does). Order matters:
// logging → exactly-once → the report conversation (state in the database) → who is
// writing (actor) → features → unhandled.
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig, HttpError, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "pino";
import { createReportScene } from "../../scenes/report.scene.ts";
import type { Clock } from "../services/clock.ts";
import type { Services } from "../services/index.ts";
import type { ConversationStore, UpdateLog } from "../services/update-state.ts";
import type { CommandMenus } from "./commands.ts";
import type { BotContext } from "./context.ts";
import { createApprovalFeature } from "./features/approval.feature.ts";
import { createBasicsFeature } from "./features/basics.feature.ts";
import { createInviteFeature } from "./features/invite.feature.ts";
import { createMembersFeature } from "./features/members.feature.ts";
import { createReportFeature } from "./features/report.feature.ts";
import { createStartFeature } from "./features/start.feature.ts";
import { createUnhandledFeature } from "./features/unhandled.feature.ts";
import * as vi from "./locales/vi.ts";
import { createDedupeMiddleware } from "./middlewares/dedupe.ts";
import { describeUpdate } from "./update-log.ts";

export interface BotDeps {
  services: Services;
  /** handled update ids (exactly-once) */
  updates: UpdateLog;
  /** per-chat conversation state (the report conversation's) */
  conversations: ConversationStore;
  clock: Clock;
  logger: Logger;
  menus: CommandMenus;
  /** extra feature composers mounted before the unhandled one (summary, schedule) */
  features?: import("grammy").Middleware<BotContext>[];
}

export interface BotOptions {
  apiRoot?: string;
  /** skips getMe (tests, and start-up when the identity is known) */
  botInfo?: UserFromGetMe;
  /** how long a report conversation waits for the next answer before it ends */
  conversationTimeoutMs?: number;
  /** per-request timeout of Bot API calls (default DEFAULT_API_TIMEOUT_SECONDS) */
  apiTimeoutSeconds?: number;
}

export const DEFAULT_CONVERSATION_TIMEOUT_MS = 6 * 3600_000;

/**
 * How long one Bot API request may take before grammY aborts it (grammY's default is
 * 500 s: a hung connection would stall the chat's updates, which run in order, for over
 * eight minutes). Must exceed the long-polling timeout (30 s).
 */
export const DEFAULT_API_TIMEOUT_SECONDS = 60;

/**
 * Logs every attempt that failed in a way auto-retry retries: 429 (with retry_after),
 * 5xx, and no answer at all (network error or timeout). Installed inside auto-retry, so
 * each attempt is logged, not only the final outcome.
 */
function apiFailureLogger(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const where = chatId === undefined ? { method } : { method, chatId: String(chatId) };
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok && (res.error_code === 429 || res.error_code >= 500)) {
        logger.warn(
          { ...where, code: res.error_code, description: res.description, retryAfter: res.parameters?.retry_after },
          "Bot API call failed; retrying",
        );
      }
      return res;
    } catch (err) {
      logger.warn({ ...where, err: (err as Error).message }, "Bot API call got no answer; retrying");
      throw err;
    }
  };
}

/**
 * Retries 429 (after retry_after) and 5xx a few times with backoff, and network errors
 * and timeouts (auto-retry retries those without a limit). A timed-out send that
 * Telegram did carry out is sent again: a duplicate no client can avoid.
 */
export function retryTransformer(logger?: Logger): Transformer {
  // auto-retry would retry a network error or a timeout forever (with delays growing to
  // an hour), stalling the chat; those get NETWORK_RETRIES attempts here instead.
  const retry = autoRetry({
    maxRetryAttempts: 4,
    maxDelaySeconds: 60,
    rethrowInternalServerErrors: false,
    rethrowHttpErrors: true,
  });
  const log = logger ? apiFailureLogger(logger) : null;
  const base: Transformer = log ? (prev, m, p, s) => log(prev, m, p, s) : (prev, m, p, s) => prev(m, p, s);
  const boundedNetwork: Transformer = async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await base(prev, method, payload, signal);
      } catch (err) {
        if (!(err instanceof HttpError) || attempt >= NETWORK_RETRIES || signal?.aborted) throw err;
        await new Promise((r) => setTimeout(r, NETWORK_RETRY_DELAY_MS * 2 ** (attempt - 1)));
      }
    }
  };
  return (prev, method, payload, signal) => retry((m, p, s) => boundedNetwork(prev, m, p, s), method, payload, signal);
}

/** Attempts of one Bot API call that fails on the network or times out. */
export const NETWORK_RETRIES = 3;
const NETWORK_RETRY_DELAY_MS = 1000;

const inFlightByBot = new WeakMap<object, { count: number; waiters: (() => void)[] }>();

/** Resolves when no update is being handled by this bot (or after `timeoutMs`); true if drained. */
export async function drainUpdates(bot: object, timeoutMs: number): Promise<boolean> {
  const inFlight = inFlightByBot.get(bot);
  if (!inFlight || inFlight.count === 0) return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    inFlight.waiters.push(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function createBot(token: string, deps: BotDeps, options: BotOptions = {}): Bot<BotContext> {
  const { services, updates, conversations, clock, logger, menus } = deps;
  const config: BotConfig<BotContext> = {
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      timeoutSeconds: options.apiTimeoutSeconds ?? DEFAULT_API_TIMEOUT_SECONDS,
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  };
  const bot = new Bot<BotContext>(token, config);
  // First of all: count the updates being handled, so a shutdown can wait for them
  // (the runner's stop() does not wait for its concurrent sink).
  const inFlight = { count: 0, waiters: [] as (() => void)[] };
  inFlightByBot.set(bot, inFlight);
  bot.use(async (_ctx, next) => {
    inFlight.count++;
    try {
      await next();
    } finally {
      if (--inFlight.count === 0) for (const w of inFlight.waiters.splice(0)) w();
    }
  });
  // Every Bot API call of an update goes through this retry: grammY builds each update's
  // ctx.api with bot.api's transformers, and the report loop replies through ctx.api (it
  // replays nothing, so a 429 is waited out once, by the call that got it). The services'
  // Api (src/app.ts) installs the same policy.
  bot.api.config.use(retryTransformer(logger));

  // One chat's updates in order (the runner handles different chats concurrently).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info({ ...describeUpdate(ctx.update), ms: Math.round(performance.now() - started) }, "update");
    }
  });

  // An error that gets past the features' boundary comes from what runs before them on
  // every update: the handled-update record, the conversation state, the person lookup,
  // all in the database. Nothing of the update was applied, so a person writing to the
  // bot (often a secretary mid-report) is told it was not saved and to send it again,
  // rather than nothing at all (the update is not redelivered) or a vague error.
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      logger.error({ err, update: describeUpdate(ctx.update) }, "update not handled (database?); asked to send again");
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: vi.common.saveFailed }).catch(() => undefined);
      else if (ctx.chat?.type === "private") {
        await ctx.reply(vi.common.saveFailed, { parse_mode: "HTML" }).catch(() => undefined);
      }
    }
  });
  const dedupe = createDedupeMiddleware({ updates, clock, logger });
  bot.use(dedupe.check);
  // The report conversation takes the updates of a chat where one runs, before the
  // sender is looked up: its state already says who they are and what they report.
  const report = createReportScene({
    reports: services.reports,
    store: conversations,
    clock,
    logger,
    timeoutMs: options.conversationTimeoutMs ?? DEFAULT_CONVERSATION_TIMEOUT_MS,
  });
  bot.use(report.middleware);
  bot.use(dedupe.claim);

  bot.use(async (ctx, next) => {
    const from = ctx.from;
    ctx.actor =
      from && !from.is_bot
        ? await services.access.resolve({
            telegramId: BigInt(from.id),
            firstName: from.first_name,
            lastName: from.last_name,
            username: from.username,
            locale: from.language_code,
          })
        : null;
    await next();
  });

  const features = [
    // first: a person whose role ended is told so before anything else answers them
    createMembersFeature({ services, clock }),
    createApprovalFeature({ services }),
    createStartFeature({ services, clock, menus }),
    createReportFeature({ enter: report.enter }),
    createBasicsFeature({ services, clock }),
    createInviteFeature({ services }),
    ...(deps.features ?? []),
    createUnhandledFeature(),
  ];
  bot.errorBoundary(
    async (err) => {
      logger.error({ err: err.error, update: describeUpdate(err.ctx.update) }, "handler failed");
      try {
        if (err.ctx.callbackQuery) await err.ctx.answerCallbackQuery({ text: vi.common.internalError });
        else if (err.ctx.chat) await err.ctx.reply(vi.common.internalError);
      } catch {
        // nothing more to do: the error is logged
      }
    },
    ...features,
  );

  bot.catch((err) => {
    logger.error({ err: err.error, update: describeUpdate(err.ctx.update) }, "unhandled bot error");
  });
  return bot;
}
