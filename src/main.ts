// The only place that starts anything: configuration → logger → database →
// cluster files → services and bot → updates (polling or webhook) → scheduler;
// and the orderly shutdown on SIGTERM/SIGINT.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookCallback } from "grammy";
import { createApp } from "./app.ts";
import { drainUpdates } from "./bot/create-bot.ts";
import { DRAIN_TIMEOUT_MS, type Polling, startPolling } from "./bot/run.ts";
import { ClusterConfigError, ClusterConfigErrors, loadClusterConfigFiles } from "./cluster-config/index.ts";
import { type Config, ConfigError, loadConfig, requireBotToken } from "./config.ts";
import { migrate } from "./db/migrator.ts";
import { createHealth } from "./health.ts";
import { createSchedulerJob, type SchedulerJob } from "./jobs/scheduler.job.ts";
import { createLogger } from "./logger.ts";
import { systemClock } from "./services/clock.ts";

const SHUTDOWN_DEADLINE_MS = 9_000;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function readConfiguration(): Promise<{ config: Config; token: string }> {
  try {
    const config = loadConfig();
    return { config, token: requireBotToken(config) };
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    throw err;
  }
}

async function main(): Promise<void> {
  const { config, token } = await readConfiguration();
  const logger = createLogger(config.logLevel);
  let clusters: Awaited<ReturnType<typeof loadClusterConfigFiles>> = [];
  try {
    clusters = await loadClusterConfigFiles(config.clusterConfigPaths);
  } catch (err) {
    if (err instanceof ClusterConfigError || err instanceof ClusterConfigErrors) fail(err.message, 2);
    throw err;
  }

  const migrated = await migrate(config.database.url);
  logger.info({ provider: migrated.provider, applied: migrated.applied }, "database ready");

  const app = createApp({
    databaseUrl: config.database.url,
    botToken: token,
    apiRoot: config.telegramApiRoot,
    clock: systemClock,
    logger,
    instanceId: config.instanceId,
  });
  for (const cluster of clusters) {
    const out = await app.services.config.apply(cluster);
    logger.info({ cluster: cluster.cluster.code, changes: out.changes }, "cluster configuration applied");
  }

  await app.bot.init();
  await app.menus.install(app.bot.api).catch((err) => logger.warn({ err }, "could not register the command menus"));

  // PORT serves /healthz and /readyz in both modes (src/health.ts), and the webhook in webhook mode
  const health = createHealth({ mode: config.transport.mode, pingDatabase: app.db.ping });
  let polling: Polling | null = null;
  const webhook =
    config.transport.mode === "webhook"
      ? webhookCallback(app.bot, "http", { secretToken: config.transport.secret, timeoutMilliseconds: 55_000 })
      : null;
  const server = createServer((req, res) => {
    if (health.handle(req, res)) return;
    if (!webhook || req.method !== "POST") {
      res.writeHead(webhook ? 405 : 404).end();
      return;
    }
    health.noteWebhookCall();
    webhook(req, res).catch((err: unknown) => {
      logger.error({ err }, "webhook request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.transport.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (config.transport.mode === "webhook") {
    const { url, secret } = config.transport;
    await app.bot.api.setWebhook(url, {
      secret_token: secret,
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });
    health.noteWebhookRegistered();
    logger.info({ port, bot: app.bot.botInfo.username }, "webhook mode: listening");
  } else {
    app.bot.api.config.use(health.watchGetUpdates);
    polling = await startPolling(app.bot);
    logger.info({ port, bot: app.bot.botInfo.username }, "long polling started; health on the port");
  }

  let job: SchedulerJob | null = null;
  if (config.scheduler) {
    job = createSchedulerJob({ scheduler: app.scheduler, clock: systemClock, logger });
    job.start();
    logger.info("scheduler started (every minute)");
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    try {
      // stop taking updates and finish the ones in flight, then close the database
      if (polling) await polling.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      if (webhook) await drainUpdates(app.bot, DRAIN_TIMEOUT_MS);
      if (job) await job.stop();
      await app.close();
      logger.info("stopped");
      logger.flush?.();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`start-up failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
