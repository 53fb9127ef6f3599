// `npm run cli -- backup <file>` on SQLite while another process keeps writing, then a
// restore as the README tells it (the copy put in place of a new deployment's database):
// the restored database migrates as up to date and holds every report and every value
// that was committed before the backup began. PostgreSQL is refused with a pointer to
// pg_dump.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrator.ts";
import { clusterInput } from "../helpers/fixtures.ts";
import { runCommand } from "../helpers/run-command.ts";
import { createTestDb, testDbKinds } from "../helpers/test-db.ts";
import { seedBulk, seedCluster } from "../summary/helpers.ts";

const root = resolve(import.meta.dirname, "../..");

function runCli(args: string[], env: Record<string, string>) {
  return runCommand(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
}

/** Every report with its values, in a stable order: what a restore must bring back. */
async function reportsOf(db: Db): Promise<unknown[]> {
  return db.$queryRawUnsafe(
    `SELECT r.id, r.period_id, r.board_id, r.status, r.revision, r.late, v.indicator_id, v."number", v.text
     FROM reports r LEFT JOIN report_values v ON v.report_id = r.id ORDER BY r.id, v.indicator_id`,
  );
}

const sqlite = testDbKinds().find((k) => k.name === "sqlite")!;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("backup and restore on 'sqlite'", () => {
  it("backs up while another process writes; the restored copy has every report and value", async () => {
    const t = await createTestDb(sqlite);
    const dir = mkdtempSync(join(tmpdir(), "ctd-backup-"));
    dirs.push(dir);
    try {
      const boards = Array.from({ length: 40 }, (_, i) => ({
        code: `B${i}`,
        name: `Ban Tổ chức số ${i}`,
        shortName: `Ban ${i}`,
        active: true,
      }));
      const s = await seedCluster(t.repos, clusterInput({ boards }));
      await seedBulk(t.db, t.repos, s, { year: 2026, quarter: 3 }, 12);
      const committed = await reportsOf(t.db);
      expect(committed.length).toBeGreaterThan(800);

      // a second connection keeps committing while the backup runs (as the bot would)
      const other = createDb(t.url);
      let writing = true;
      let writes = 0;
      const writer = (async () => {
        while (writing) {
          await other.db.auditEntry.create({
            data: { action: "test.write", entity: "test", entityId: String(writes), after: "x".repeat(200) },
          });
          writes++;
          await new Promise((r) => setImmediate(r));
        }
      })();
      const file = join(dir, "copies", "bot-backup.db");
      const out = await runCli(["backup", file], { DATABASE_URL: t.url, LOG_LEVEL: "silent" });
      const writesDuringBackup = writes;
      writing = false;
      await writer;
      await other.close();
      expect(out.code, out.output).toBe(0);
      expect(out.output).toMatch(
        /^backed up .+ to .+bot-backup\.db: [\d.]+ MB, \d+ report\(s\), \d+ value\(s\), integrity ok/,
      );
      expect(writesDuringBackup).toBeGreaterThan(0);
      expect(existsSync(`${file}-wal`)).toBe(false); // one self-contained file

      // a second backup to the same name is refused rather than overwritten
      const again = await runCli(["backup", file], { DATABASE_URL: t.url });
      expect(again.code).toBe(1);
      expect(again.output).toContain("already exists");

      // restore: the copy becomes the database of a new deployment
      const restoredPath = join(dir, "restored", "bot.db");
      mkdirSync(join(dir, "restored"));
      copyFileSync(file, restoredPath);
      const url = `file:${restoredPath}`;
      expect((await migrate(url)).applied).toEqual([]);
      const restored = createDb(url);
      try {
        expect(await reportsOf(restored.db)).toEqual(committed);
      } finally {
        await restored.close();
      }
    } finally {
      await t.drop();
    }
  }, 120_000);

  it("refuses PostgreSQL with the pg_dump pointer, exit 1", async () => {
    const out = await runCli(["backup", join(tmpdir(), "never.db")], {
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/none",
    });
    expect(out.code).toBe(1);
    expect(out.output).toContain("pg_dump -Fc");
  });
});
