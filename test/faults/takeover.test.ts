// A fan-out whose instance dies is taken over by another live instance within a lease,
// and two live instances never send for the same action. Instance A is a `cli tick`
// child process running the quarter's opening to 99 secretaries (each send slowed to
// 1.2 s by the stand-in, four in flight: ~30 s); instance B is this process, running the
// production scheduler job (minute tick + takeover sweep every 5 s) on the same database.
// While A lives (longer than a lease) B sends nothing; A is killed with SIGKILL; B takes
// the action over once A's lease (20 s) ran out and sends to the rest. Every secretary
// gets the opening once, except those in doubt at the kill (delivery row pending, message
// accepted by the stand-in: at most the four in flight), who may get it twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createSchedulerJob } from "../../src/jobs/scheduler.job.ts";
import { silentLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/services/clock.ts";
import { DEFAULT_FAN_OUT_CONCURRENCY } from "../../src/services/fan-out.ts";
import { DEFAULT_LEASE_MS } from "../../src/services/lease.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import { startChildCli, stopAllChildren } from "../helpers/child-bot.ts";
import { BOT_USERNAME, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";
import { MINUTE, prepareFaultCluster, quarterAround, secretaryId, sleep } from "./support.ts";

const BOARDS = 99;
const CLUSTER = "cum-tiep-quan";
const SEND_MS = 1200;

const startTick = (at: Date, env: Record<string, string>) => startChildCli(["tick", "--at", at.toISOString()], env);

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await cond())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.each(testDbKinds())("claim takeover on $name", (kind) => {
  it("a dead instance's fan-out is taken over within a lease; the live ones never send the same message", async () => {
    const si = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 20_000 });
    const { apiRoot } = await si.start();
    const tdb = await createTestDb(kind);
    const dir = mkdtempSync(join(tmpdir(), "ctd-takeover-"));
    let tick: ReturnType<typeof startTick> | undefined;
    let b: ReturnType<typeof createApp> | undefined;
    let job: ReturnType<typeof createSchedulerJob> | undefined;
    try {
      const now = Date.now();
      await prepareFaultCluster({ tdb, apiRoot, dir, boards: BOARDS, cluster: CLUSTER, now });
      const secretaries = Array.from({ length: BOARDS }, (_, i) => secretaryId(i + 1));
      for (const id of secretaries) si.user(id, { first_name: "Thư ký", known: true });
      const slow = si.faults.add({ method: "sendMessage", error: { hang: true, ms: SEND_MS } });

      // A: the opening, due an hour ago, run by a `cli tick` child process
      const opensAt = new Date(quarterAround(now).opens + MINUTE);
      tick = startTick(opensAt, {
        BOT_TOKEN: TOKEN,
        DATABASE_URL: tdb.url,
        TELEGRAM_API_ROOT: apiRoot,
        LOG_LEVEL: "warn",
      });
      const countTo = (chatId: number) => si.accepted.filter((a) => a.chat_id === chatId).length;
      await until(() => si.accepted.length > 0 || tick!.output().length > 0, 60_000, "A to send");
      const action = await tdb.db.scheduledAction.findFirstOrThrow({ where: { kind: "open", status: "claimed" } });
      const claimer = action.claimedBy;

      // B: this process, the production job (every minute a tick, every 5 s a takeover sweep)
      b = createApp({
        databaseUrl: tdb.url,
        botToken: TOKEN,
        apiRoot,
        clock: systemClock,
        logger: silentLogger(),
        instanceId: "B",
      });
      job = createSchedulerJob({ scheduler: b.scheduler, clock: systemClock, logger: silentLogger() });
      job.start();

      // A lives longer than a lease: B must leave its action alone
      await sleep(DEFAULT_LEASE_MS + 3_000);
      expect(tick.output(), "A still running").not.toMatch(/open\s+done/);
      const live = await tdb.db.scheduledAction.findUniqueOrThrow({ where: { id: action.id } });
      expect([live.status, live.claimedBy]).toEqual(["claimed", claimer]);
      const beforeKill = si.accepted.length;
      expect(beforeKill).toBeGreaterThan(0);
      expect(beforeKill).toBeLessThan(BOARDS);
      expect(
        secretaries.filter((id) => countTo(id) > 1),
        "no duplicate while both live",
      ).toEqual([]);

      // kill A mid-fan-out; the sends it had in flight may still be accepted (the server does the work)
      const killedAt = Date.now();
      expect(await tick.kill("SIGKILL")).toBe("SIGKILL");
      await sleep(SEND_MS + 500);
      slow.remove();
      const pending = await tdb.db.messageDelivery.findMany({ where: { actionId: action.id, status: "pending" } });
      const inDoubt = new Set(pending.map((p) => Number(p.chatId)).filter((id) => countTo(id) > 0));
      expect(pending.length).toBeLessThanOrEqual(DEFAULT_FAN_OUT_CONCURRENCY);

      let takenAt = 0;
      await until(
        async () => {
          const row = await tdb.db.scheduledAction.findUniqueOrThrow({ where: { id: action.id } });
          if (row.claimedBy === "B" && takenAt === 0) takenAt = Date.now();
          return row.status === "done";
        },
        120_000,
        "B to take over and finish",
      );
      const takeoverMs = takenAt - killedAt;
      console.info(
        `[faults/takeover ${kind.name}] takeover ${(takeoverMs / 1000).toFixed(1)} s after SIGKILL (lease ${DEFAULT_LEASE_MS / 1000} s, sweep every 5 s); ${beforeKill} sent by A before the kill, ${inDoubt.size} in doubt`,
      );
      expect(takeoverMs).toBeGreaterThan(0);
      expect(takeoverMs).toBeLessThan(60_000);

      // every secretary once; twice only where A's send was in doubt at the kill
      await si.waitForIdle({ quietMs: 300, timeoutMs: 20_000 });
      for (const id of secretaries) expect(countTo(id), `messages to ${id}`).toBe(inDoubt.has(id) ? 2 : 1);
      const deliveries = await tdb.db.messageDelivery.findMany({ where: { actionId: action.id } });
      expect(deliveries.every((d) => d.status === "sent")).toBe(true);
      expect(deliveries).toHaveLength(BOARDS);
    } finally {
      await stopAllChildren();
      await job?.stop();
      await b?.close();
      await si.stop();
      await tdb.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
