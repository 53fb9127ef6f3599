// Wires the database, repositories, services and bot together without starting
// anything. src/main.ts (production), the CLI, the demo and the end-to-end tests
// all build the application through this one function.

import { hostname } from "node:os";
import { Api, type Middleware } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { createCommandMenus } from "./bot/commands.ts";
import type { BotContext } from "./bot/context.ts";
import { createBot, DEFAULT_API_TIMEOUT_SECONDS, retryTransformer } from "./bot/create-bot.ts";
import { createGroupFeature } from "./bot/features/group.feature.ts";
import { createScheduleFeature } from "./bot/features/schedule.feature.ts";
import { createSummaryFeature } from "./bot/features/summary.feature.ts";
import { createUnlockFeature } from "./bot/features/unlock.feature.ts";
import { createBotMessenger } from "./bot/messenger.ts";
import { createSummaryFileCache } from "./bot/summary-files.ts";
import { createSummaryPoster } from "./bot/summary-sender.ts";
import { createDb } from "./db/client.ts";
import { createRepositories } from "./db/index.ts";
import type { Logger } from "./logger.ts";
import { createBriefingService } from "./services/briefing.service.ts";
import type { Clock } from "./services/clock.ts";
import { createGroupService } from "./services/group.service.ts";
import { createServices } from "./services/index.ts";
import { createLedgerExecutor } from "./services/ledger-executor.ts";
import { createPeopleService } from "./services/people.service.ts";
import { createPeriodDatesService } from "./services/period-dates.service.ts";
import { createSchedulerService } from "./services/scheduler.service.ts";
import type { LedgerNotices } from "./services/submission-notice.ts";
import { createSummaryService } from "./services/summary.service.ts";
import { createUnlockService } from "./services/unlock.service.ts";
import { createConversationStore, createUpdateLog } from "./services/update-state.ts";

export interface AppOptions {
  databaseUrl: string;
  botToken: string;
  apiRoot?: string | undefined;
  botInfo?: UserFromGetMe | undefined;
  clock: Clock;
  logger: Logger;
  conversationTimeoutMs?: number | undefined;
  /** name of this process in the scheduler's ledger */
  instanceId?: string | undefined;
  /** pace of scheduled fan-outs (messages per second) */
  sendsPerSecond?: number | undefined;
  /** per-request timeout of Bot API calls (tests with hanging connections make it short) */
  apiTimeoutSeconds?: number | undefined;
}

export function createApp(opts: AppOptions) {
  const { clock, logger } = opts;
  const handle = createDb(opts.databaseUrl);
  const repos = createRepositories(handle.db, handle.hot);
  // Services send through their own Api object (same token, root and retry policy as
  // the bot's), so they work from the CLI and the scheduler without a running bot.
  const api = new Api(opts.botToken, {
    ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}),
    timeoutSeconds: opts.apiTimeoutSeconds ?? DEFAULT_API_TIMEOUT_SECONDS,
  });
  api.config.use(retryTransformer(logger));
  const messenger = createBotMessenger(api, createPeopleService(repos, handle.hot), clock, logger);
  const instanceId = opts.instanceId ?? `${hostname()}-${process.pid}`;
  // The notices of a submission, an approval decision and an unlock are ledger actions that the executor runs;
  // the executor is built from the services, so they reach it through this binding (called after createApp returns).
  const notices: LedgerNotices = {
    instanceId,
    async deliver(action) {
      const line = await executor.execute(action, clock.now(), false);
      return { sent: line.sent, finished: !line.takenOver };
    },
  };
  const services = createServices({ repos, hot: handle.hot, clock, logger, notices });
  const menus = createCommandMenus(logger);
  const summary = createSummaryService(repos, handle.hot);
  const briefing = createBriefingService(repos);
  const groups = createGroupService({ repos, clock, logger });
  // a closed summary's chart pages and files, drawn once and then re-sent by file_id (this bot's)
  const summaryFiles = createSummaryFileCache();
  const executor = createLedgerExecutor({
    repos,
    periods: services.periods,
    status: services.status,
    messenger,
    clock,
    logger,
    instanceId,
    summaryPoster: createSummaryPoster(api, summary, briefing, groups, clock, summaryFiles),
    sendsPerSecond: opts.sendsPerSecond,
    submittedCount: (periodId, clusterId) => handle.hot.submittedCount(periodId, clusterId),
  });
  const scheduler = createSchedulerService({
    repos,
    periods: services.periods,
    status: services.status,
    executor,
    clock,
    logger,
    instanceId,
  });
  const periodDates = createPeriodDatesService({ repos, periods: services.periods });
  const extraFeatures: Middleware<BotContext>[] = [
    createSummaryFeature({ summary, briefing, periods: services.periods, clock, files: summaryFiles }),
    createScheduleFeature({ scheduler, periodDates, access: services.access, clock }),
    createGroupFeature({ groups }),
    createUnlockFeature({ services, unlock: createUnlockService({ repos, notices, clock, logger }), clock }),
  ];
  const bot = createBot(
    opts.botToken,
    {
      services,
      updates: createUpdateLog(handle.hot, repos.updates),
      conversations: createConversationStore(handle.hot),
      clock,
      logger,
      menus,
      features: extraFeatures,
    },
    {
      ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}),
      ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
      ...(opts.conversationTimeoutMs ? { conversationTimeoutMs: opts.conversationTimeoutMs } : {}),
      ...(opts.apiTimeoutSeconds ? { apiTimeoutSeconds: opts.apiTimeoutSeconds } : {}),
    },
  );
  return {
    bot,
    api,
    repos,
    services,
    summary,
    briefing,
    scheduler,
    groups,
    messenger,
    menus,
    db: handle,
    async close() {
      await handle.close();
    },
  };
}

export type App = ReturnType<typeof createApp>;
