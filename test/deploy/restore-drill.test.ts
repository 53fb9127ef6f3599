// The restore drill (issue 17, item 3), as an operator would run it, on both databases:
// during a running quarter (the production bot in a child process, secretaries answering
// over the local Bot API stand-in) a backup is taken as the README says (SQLite:
// `cli backup <file>`; PostgreSQL: `pg_dump -Fc` to a `.partial` name, renamed when it
// finished), and another backup is killed (SIGKILL) midway. Then:
//   - the killed backup left nothing under the backup's name (a partial dump, if any, is
//     refused by pg_restore), and the bot's database is unharmed (integrity check, every
//     confirmed answer there, the bot still answering);
//   - the good backup is restored into a fresh folder (SQLite: a new DATA folder, the copy
//     as its bot.db) or a fresh database (pg_restore), the bot is started there, and every
//     answer the bot had confirmed ("Đã lưu") before the backup began is found, with every
//     report it had confirmed as submitted; the restored bot takes the conversations up
//     where the backup left them.
// CI: 6 boards. SOAK=1: 14.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "../../src/db/client.ts";
import { sqlitePath } from "../../src/db/migrator.ts";
import { createBotApiStandin } from "../../src/standin/bot-api-standin.ts";
import {
  answersOf,
  INDICATORS,
  knowFaultPeople,
  prepareFaultCluster,
  SOAK,
  secretaryId,
  sleep,
} from "../faults/support.ts";
import { type ChildBot, startChildBot, stopAllChildren, watchOutput } from "../helpers/child-bot.ts";
import { BOT_USERNAME, TOKEN } from "../helpers/e2e.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";

const root = resolve(import.meta.dirname, "../..");
const BOARDS = SOAK ? 14 : 6;
const CLUSTER = "cum-loi";
const GROUP_ID = -1009990077;
const hasPgDump = (() => {
  try {
    execFileSync("pg_dump", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function spawnWatched(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  // its own process group: a kill takes the shell and the pg_dump it runs, as a killed cron job
  const proc: ChildProcess = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const { output, exited } = watchOutput(proc);
  return {
    output,
    exited,
    running: () => proc.exitCode === null && proc.signalCode === null,
    kill: () => {
      try {
        process.kill(-proc.pid!, "SIGKILL");
      } catch {
        // ended already
      }
    },
  };
}

async function until(cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what()}`);
    await sleep(1);
  }
}

/** Board n's stored values (indicator code → number or text) and report status. */
async function storedOf(h: DbHandle, n: number) {
  const board = await h.db.board.findFirst({ where: { code: `B${String(n).padStart(2, "0")}` } });
  const report = board
    ? await h.db.report.findFirst({
        where: { boardId: board.id },
        include: { values: { include: { indicator: true } } },
      })
    : null;
  const values = new Map<string, number | string | null>();
  for (const v of report?.values ?? []) values.set(v.indicator.code, v.number ?? v.text);
  return { status: report?.status ?? null, values };
}

/** Totals over the file, printed at the end (the closing note quotes them). */
const totals: Record<string, unknown>[] = [];
afterAll(() => {
  console.info(`[deploy/restore-drill] ${JSON.stringify(totals)}`);
});

describe.each(testDbKinds())("restore drill on $name", (kind) => {
  it.skipIf(kind.name === "postgres" && !hasPgDump)(
    "backup mid-quarter (one killed midway), restore into a fresh place, every confirmed answer found",
    async () => {
      const si = createBotApiStandin({ token: TOKEN, bot: { username: BOT_USERNAME }, waitTimeoutMs: 30_000 });
      const { apiRoot } = await si.start();
      const tdb = await createTestDb(kind);
      const dir = mkdtempSync(join(tmpdir(), "ctd-drill-"));
      const drops: (() => Promise<void>)[] = [];
      const report: Record<string, unknown> = { db: kind.name, boards: BOARDS };
      try {
        const now = Date.now();
        const configPath = await prepareFaultCluster({ tdb, apiRoot, dir, boards: BOARDS, cluster: CLUSTER, now });
        knowFaultPeople(si, BOARDS, GROUP_ID);

        const env = (databaseUrl: string) => ({
          BOT_TOKEN: TOKEN,
          DATABASE_URL: databaseUrl,
          TELEGRAM_API_ROOT: apiRoot,
          CLUSTER_CONFIG: configPath,
          LOG_LEVEL: "info",
          SCHEDULER: "off",
        });
        const startBot = async (databaseUrl: string): Promise<ChildBot> => {
          const b = startChildBot(env(databaseUrl));
          await until(
            () => b.output().includes("long polling started"),
            60_000,
            () => `the bot to start:\n${b.output()}`,
          );
          return b;
        };
        const bot = await startBot(tdb.url);

        // what the bot confirmed, in order: board, indicator index; and the submissions it confirmed
        const confirmed: [number, number][] = [];
        const submitted = new Set<number>();
        /** A secretary answers every question (pausing `paceMs` before each) and submits if asked. */
        const secretary = async (n: number, submit: boolean, paceMs: () => number) => {
          const u = si.user(secretaryId(n));
          const answers = answersOf(n);
          let last = -1;
          u.send("/baocao");
          for (let guard = 0; guard < 20; guard++) {
            const m = await u.waitForMessage(/Đã lưu|Chỉ tiêu (\d)\/4|Bảng tổng hợp/);
            const text = m.text ?? "";
            if (/Đã lưu/.test(text)) {
              confirmed.push([n, last]);
              if (!/Chỉ tiêu|Bảng tổng hợp/.test(text)) continue;
            }
            const q = /Chỉ tiêu (\d)\/4/.exec(text);
            if (q) {
              last = Number(q[1]) - 1;
              await sleep(paceMs());
              u.send(answers[last]!.typed);
              continue;
            }
            if (submit) {
              u.press("✅ Nộp báo cáo", { messageId: m.message_id });
              await u.waitForMessage(/Đã nộp báo cáo quý/);
              submitted.add(n);
            }
            return;
          }
          throw new Error(`board ${n} did not finish`);
        };

        // before the backups: boards 1 and 2 submit, board 3 answers everything and stops at the review
        const firstWave = Math.min(3, BOARDS);
        await Promise.all(Array.from({ length: firstWave }, (_, i) => secretary(i + 1, i < 2, () => 0)));
        // the rest answer while the backups run
        const secondWave = Promise.all(
          Array.from({ length: BOARDS - firstWave }, (_, i) =>
            secretary(firstWave + i + 1, i % 2 === 0, () => 50 + Math.floor(Math.random() * 250)),
          ),
        );
        await until(
          () => confirmed.length >= firstWave * 4 + 2,
          30_000,
          () => "answers of the second wave",
        );

        const backupDir = join(dir, "backups");
        const good = join(backupDir, kind.name === "sqlite" ? "bot-good.db" : "good.dump");
        const killed = join(backupDir, kind.name === "sqlite" ? "bot-killed.db" : "killed.dump");
        const cliEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: tdb.url };
        const backup = (file: string) =>
          kind.name === "sqlite"
            ? spawnWatched(process.execPath, ["--import", "tsx", "src/cli/main.ts", "backup", file], {
                ...cliEnv,
                LOG_LEVEL: "warn",
              })
            : // the README's command: the dump gets its name only once pg_dump finished
              spawnWatched(
                "sh",
                [
                  "-c",
                  `mkdir -p "$1" && pg_dump -Fc -f "$2.partial" "$3" && mv "$2.partial" "$2"`,
                  "sh",
                  backupDir,
                  file,
                  tdb.url,
                ],
                cliEnv,
              );

        // the moment of the good backup: every confirmation seen before it started is in it
        const confirmedBefore = [...confirmed];
        const submittedBefore = new Set(submitted);
        const goodRun = backup(good);
        const killedRun = backup(killed);
        // kill the second one as soon as its copy appears on disk (midway), or as it ends
        const filesOf = (file: string) =>
          existsSync(backupDir) ? readdirSync(backupDir).filter((f) => f.startsWith(file.split("/").pop()!)) : [];
        const partialOf = (file: string) => filesOf(file).filter((f) => f.includes(".partial"));
        await until(
          () => filesOf(killed).length > 0 || !killedRun.running(),
          60_000,
          () => `the backup to start:\n${killedRun.output()}`,
        );
        killedRun.kill();
        const killedExit = await killedRun.exited;
        report.killedMidway = killedExit === "SIGKILL";
        expect(await goodRun.exited, goodRun.output()).toBe(0);
        await secondWave;

        // the killed backup: nothing under its name unless it had finished
        const leftovers = partialOf(killed);
        report.killedLeftovers = leftovers.length;
        if (killedExit === "SIGKILL") {
          expect(existsSync(killed), `a killed backup left ${killed}`).toBe(false);
          if (kind.name === "postgres") {
            for (const f of leftovers) {
              // a partial dump is refused when restored
              const scratch = await kind.fresh();
              drops.push(scratch.drop);
              const r = spawnWatched("pg_restore", ["--no-owner", "-d", scratch.url, join(backupDir, f)], cliEnv);
              const code = await r.exited;
              report.partialDumpRestoreExit = code;
              // pg_dump killed before its end wrote a truncated archive, refused; one killed
              // between its end and the rename left a whole dump, still under the .partial name
              if (code === 0) report.partialDumpWasWhole = true;
              else expect(r.output()).toMatch(/pg_restore: error/);
            }
          }
        } else {
          expect(killedExit, killedRun.output()).toBe(0);
          expect(existsSync(killed)).toBe(true);
        }

        // the running database is unharmed: intact, every confirmed answer stored, still answering
        if (kind.name === "sqlite") {
          const check = new Database(sqlitePath(tdb.url), { readonly: true });
          try {
            expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
          } finally {
            check.close();
          }
        }
        for (const [n, i] of confirmed) {
          const { values } = await storedOf(tdb, n);
          expect(values.get(INDICATORS[i]!.code), `board ${n}, answer ${i + 1}`).toBe(answersOf(n)[i]!.stored);
        }
        report.confirmedBeforeBackup = confirmedBefore.length;
        report.confirmedInAll = confirmed.length;

        // restore into a fresh place, as the README says, and start the bot there
        expect(await bot.kill("SIGTERM")).toBe(0);
        let restoredUrl: string;
        if (kind.name === "sqlite") {
          const dataDir = mkdtempSync(join(tmpdir(), "ctd-drill-restored-"));
          drops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
          copyFileSync(good, join(dataDir, "bot.db"));
          restoredUrl = `file:${join(dataDir, "bot.db")}`;
        } else {
          const fresh = await kind.fresh();
          drops.push(fresh.drop);
          const r = spawnWatched("pg_restore", ["--no-owner", "-d", fresh.url, good], cliEnv);
          expect(await r.exited, r.output()).toBe(0);
          restoredUrl = fresh.url;
        }
        const restoredBot = await startBot(restoredUrl);
        const restored = createDb(restoredUrl);
        drops.push(() => restored.close());
        for (const [n, i] of confirmedBefore) {
          const { values } = await storedOf(restored, n);
          expect(values.get(INDICATORS[i]!.code), `restored: board ${n}, answer ${i + 1}`).toBe(
            answersOf(n)[i]!.stored,
          );
        }
        for (const n of submittedBefore) expect((await storedOf(restored, n)).status, `board ${n}`).toBe("submitted");

        // the restored bot goes on where the backup left: board 3 is at its review, board 1 submitted
        const three = si.user(secretaryId(3));
        three.send("/baocao");
        const review = await three.waitForMessage(/Bảng tổng hợp/);
        expect(review.text).toContain(String(answersOf(3)[3]!.stored));
        const one = si.user(secretaryId(1));
        one.send("/baocao");
        const done = await one.waitForMessage(/Bảng tổng hợp/);
        expect((done.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text)).toContain("✅ Nộp lại báo cáo");
        expect(await restoredBot.kill("SIGTERM")).toBe(0);
        totals.push(report);
      } finally {
        await stopAllChildren();
        for (const d of drops.reverse()) await d().catch(() => undefined);
        await si.stop();
        await tdb.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SOAK ? 300_000 : 150_000,
  );
});
