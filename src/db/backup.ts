// `cli backup <file>`: a consistent copy of the SQLite database, taken while the bot runs.
// SQLite's online backup API (through better-sqlite3) copies the pages inside one read
// transaction, so the copy is one committed state of the database, never a torn mix; the
// bot keeps answering and writing meanwhile (WAL: a reader and the writer do not block
// each other). All pages go in one step: copied in small steps, the backup would start
// over after every write of the bot and might never finish on a busy database. The copy is then checked (integrity_check) and its
// reports counted, so a backup that would not restore is reported as a failure. The copy
// is a single file in rollback-journal mode.
//
// The copy is built under `<file>.partial-<pid>` and renamed to `<file>` only once it is
// complete, checked and on disk (fsync of the file, then of the folder): a backup killed
// midway (SIGKILL, power cut) leaves no file under the name asked for, only a `.partial-`
// one, so nothing half-written is ever mistaken for a backup (found by the restore drill,
// test/deploy/restore-drill.test.ts).
// PostgreSQL has its own tools (pg_dump/pg_restore, see the README).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { providerOf } from "./client.ts";
import { sqlitePath } from "./migrator.ts";

export class BackupError extends Error {}

/** pages per step after the first (better-sqlite3's largest): the rest in one step */
const ALL_PAGES = 0x7fffffff;

export interface BackupResult {
  source: string;
  file: string;
  bytes: number;
  reports: number;
  values: number;
  ms: number;
}

export async function backupSqlite(databaseUrl: string, file: string): Promise<BackupResult> {
  if (providerOf(databaseUrl) !== "sqlite") {
    throw new BackupError(
      "backup copies a SQLite database; for PostgreSQL use pg_dump -Fc (restore with pg_restore), see the README",
    );
  }
  const source = resolve(sqlitePath(databaseUrl));
  const target = resolve(file);
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  if (existsSync(target)) throw new BackupError(`${target} already exists; give a new file name`);
  if (source === target) throw new BackupError("the backup file must differ from the database");
  mkdirSync(dirname(target), { recursive: true });

  const started = performance.now();
  const partial = `${target}.partial-${process.pid}`;
  const removePartial = () => {
    for (const f of [partial, `${partial}-journal`]) rmSync(f, { force: true });
  };
  removePartial();
  try {
    const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
    try {
      await db.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      db.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    let counts: { reports: number; values: number };
    try {
      // one self-contained file (no -wal beside it); the bot turns WAL on again when it opens it
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new BackupError(`the copy at ${partial} failed its integrity check: ${String(check)}`);
      const count = (table: string) => (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      counts = { reports: count("reports"), values: count("report_values") };
    } finally {
      copy.close();
    }
    syncPath(partial);
    if (existsSync(target)) throw new BackupError(`${target} already exists; give a new file name`);
    renameSync(partial, target);
    syncPath(dirname(target));
    return { source, file: target, bytes: statSync(target).size, ...counts, ms: performance.now() - started };
  } catch (err) {
    removePartial();
    throw err;
  }
}

/** fsync of a file or a folder (a rename is durable once its folder is synced) */
function syncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
