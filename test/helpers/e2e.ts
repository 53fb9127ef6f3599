// End-to-end harness: the real application (createApp) polling the local Bot API
// stand-in over HTTP, on a throw-away database, with an injectable clock.

import { type App, createApp } from "../../src/app.ts";
import { type Polling, startPolling } from "../../src/bot/run.ts";
import { parseClusterConfigText } from "../../src/cluster-config/load.ts";
import type { ClusterConfig } from "../../src/cluster-config/schema.ts";
import type { Role } from "../../src/domain/types.ts";
import { type Logger, silentLogger } from "../../src/logger.ts";
import { fixedClock } from "../../src/services/clock.ts";
import { type BotApiStandin, createBotApiStandin, type UserHandle } from "../../src/standin/bot-api-standin.ts";
import { createTestDb, type TestDb, type TestDbKind } from "./test-db.ts";

export const TOKEN = "7000000001:AAE2e-test-token-not-a-secret-0123456789";
export const BOT_USERNAME = "cumthidua_test_bot";

/** A small cluster: three boards, four indicators (two required numbers, one optional, one text). */
export const SMALL_CLUSTER_YAML = `
cluster:
  code: cum-thu
  name: Cụm thi đua <Thử nghiệm> & "Kiểm tra"
  groupChatId: -1009990001
boards:
  - { code: HN, name: Ban Tổ chức Thành ủy Hà Nội, shortName: Hà Nội }
  - { code: HCM, name: Ban Tổ chức Thành ủy TP. Hồ Chí Minh, shortName: TP.HCM }
  - { code: DN, name: Ban Tổ chức Thành ủy Đà Nẵng, shortName: Đà Nẵng }
indicators:
  - { code: ket_nap, label: Số đảng viên mới kết nạp, unit: người, kind: integer, min: 0, max: 100000, weight: 40, help: "Tính trong quý, không cộng dồn" }
  - { code: ty_le, label: Tỷ lệ tổ chức cơ sở đảng hoàn thành nhiệm vụ, unit: "%", kind: percent, weight: 30 }
  - { code: lop, label: Số lớp bồi dưỡng đã tổ chức, unit: lớp, kind: integer, min: 0, required: false, weight: 30 }
  - { code: kien_nghi, label: "Khó khăn, kiến nghị", kind: text, required: false }
scoring: { method: relative-to-best, onTimeWeight: 5 }
calendar:
  opens: { daysBeforeQuarterEnd: 10, time: "08:00" }
  deadline: { daysAfterQuarterEnd: 5, time: "17:00" }
  briefing: { daysAfterQuarterEnd: 10, time: "08:00" }
  summaryPost: { daysBeforeBriefing: 1, time: "16:00" }
  reminders: [3d, 1d, 2h]
  quietHours: { from: "21:00", to: "07:00" }
`;

export function smallCluster(): ClusterConfig {
  return parseClusterConfigText(SMALL_CLUSTER_YAML, "small-cluster.yaml", "yaml");
}

/** 2026-09-25 10:00 in Hà Nội: quý III/2026 is open (opened 20/09, deadline 05/10 17:00). */
export const IN_Q3 = new Date("2026-09-25T03:00:00Z");

export interface E2E {
  standin: BotApiStandin;
  db: TestDb;
  app: App;
  clock: ReturnType<typeof fixedClock>;
  polling: Polling;
  /** a person joined through an invitation, in a private chat with the bot */
  join(userId: number, firstName: string, role: Role, boardCode?: string, clusterCode?: string): Promise<UserHandle>;
  /** stops polling and closes the app (the database and stand-in stay) */
  stopBot(): Promise<void>;
  /** builds a new app process-equivalent over the same database and stand-in */
  restartBot(): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2E(
  kind: TestDbKind,
  opts: { now?: Date; config?: ClusterConfig; logger?: Logger; conversationTimeoutMs?: number } = {},
): Promise<E2E> {
  const standin = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 10_000 });
  const { apiRoot } = await standin.start();
  const db = await createTestDb(kind);
  const clock = fixedClock(opts.now ?? IN_Q3);
  const logger = opts.logger ?? silentLogger();
  const build = () =>
    createApp({
      databaseUrl: db.url,
      botToken: TOKEN,
      apiRoot,
      clock,
      logger,
      conversationTimeoutMs: opts.conversationTimeoutMs,
    });
  let app = build();
  await app.services.config.apply(opts.config ?? smallCluster());
  // as src/main.ts does at start-up: the default command menus
  await app.bot.init();
  await app.menus.install(app.bot.api);
  let polling = await startPolling(app.bot, { timeoutSeconds: 1 });

  const e2e: E2E = {
    standin,
    db,
    get app() {
      return app;
    },
    clock,
    get polling() {
      return polling;
    },
    async join(userId, firstName, role, boardCode, clusterCode) {
      const cluster = (await app.repos.clusters.listAll())[0]!;
      const inv = await app.services.invitations.create({
        clusterCode: clusterCode ?? cluster.code,
        role,
        boardCode,
        createdByPersonId: null,
        botUsername: BOT_USERNAME,
      });
      if (!inv.ok) throw new Error(`invitation failed: ${JSON.stringify(inv.error)}`);
      const user = standin.user(userId, { first_name: firstName });
      user.send(`/start ${inv.value.token}`);
      await user.waitForMessage(/Đồng chí đã tham gia/);
      await user.waitForMessage(/Kính chào đồng chí/);
      return user;
    },
    async stopBot() {
      await polling.stop();
      await app.close();
    },
    async restartBot() {
      app = build();
      await app.bot.init();
      await app.menus.install(app.bot.api);
      polling = await startPolling(app.bot, { timeoutSeconds: 1 });
    },
    async stop() {
      if (polling.isRunning()) await polling.stop();
      await app.close().catch(() => undefined);
      await standin.stop();
      await db.drop();
    },
  };
  return e2e;
}
