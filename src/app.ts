// Wires the database, repositories, services and bot together without starting
// anything. src/main.ts (production), the CLI, the demo and the end-to-end tests
// all build the application through this one function.
import { Api, type Middleware } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { createCommandMenus } from "./bot/commands.ts";
import type { BotContext } from "./bot/context.ts";
import { createBot, retryTransformer } from "./bot/create-bot.ts";
import { createBotMessenger } from "./bot/messenger.ts";
import { createDb } from "./db/client.ts";
import { createRepositories } from "./db/index.ts";
import type { Logger } from "./logger.ts";
import type { Clock } from "./services/clock.ts";
import { createServices } from "./services/index.ts";

export interface AppOptions {
  databaseUrl: string;
  botToken: string;
  apiRoot?: string | undefined;
  botInfo?: UserFromGetMe | undefined;
  clock: Clock;
  logger: Logger;
  conversationTimeoutMs?: number | undefined;
}

export function createApp(opts: AppOptions) {
  const { clock, logger } = opts;
  const handle = createDb(opts.databaseUrl);
  const repos = createRepositories(handle.db);
  // Services send through their own Api object (same token, root and retry policy as
  // the bot's), so they work from the CLI and the scheduler without a running bot.
  const api = new Api(opts.botToken, opts.apiRoot ? { apiRoot: opts.apiRoot } : undefined);
  api.config.use(retryTransformer());
  const messenger = createBotMessenger(api, repos, clock, logger);
  const services = createServices({ repos, clock, messenger, logger });
  const menus = createCommandMenus(logger);
  const extraFeatures: Middleware<BotContext>[] = [];
  const bot = createBot(
    opts.botToken,
    { services, repos, clock, logger, menus, features: extraFeatures },
    {
      ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}),
      ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
      ...(opts.conversationTimeoutMs ? { conversationTimeoutMs: opts.conversationTimeoutMs } : {}),
    },
  );
  return {
    bot,
    api,
    repos,
    services,
    messenger,
    menus,
    db: handle,
    async close() {
      await handle.close();
    },
  };
}

export type App = ReturnType<typeof createApp>;
