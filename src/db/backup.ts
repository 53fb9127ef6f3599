// `cli backup <file>`: a consistent copy of the SQLite database, taken while the bot runs.
// SQLite's online backup API (through better-sqlite3) copies the pages inside one read
// transaction, so the copy is one committed state of the database, never a torn mix; the
// bot keeps answering and writing meanwhile (WAL: a reader and the writer do not block
// each other). All pages go in one step: copied in small steps, the backup would start
// over after every write of the bot and might never finish on a busy database. The copy is then checked (integrity_check) and its
// reports counted, so a backup that would not restore is reported as a failure. The copy
// is a single file in rollback-journal mode.
// PostgreSQL has its own tools (pg_dump/pg_restore, see the README).
import { existsSync, mkdirSync, statSync } from "node:fs";
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
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    await db.backup(target, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    // one self-contained file (no -wal beside it); the bot turns WAL on again when it opens it
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`the copy at ${target} failed its integrity check: ${String(check)}`);
    const count = (table: string) => (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      source,
      file: target,
      bytes: statSync(target).size,
      reports: count("reports"),
      values: count("report_values"),
      ms: performance.now() - started,
    };
  } finally {
    copy.close();
  }
}
