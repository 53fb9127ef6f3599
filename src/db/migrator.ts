// Applies the SQL migrations in prisma/<provider>/migrations without Prisma's schema
// engine (which is slow to start and, on PostgreSQL, needs adapter workarounds).
// Bookkeeping uses Prisma's own `_prisma_migrations` table, so `prisma migrate status`
// keeps working. Safe to run from several processes at once: PostgreSQL takes an
// advisory lock, SQLite an immediate (write) transaction per migration.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type Pg from "pg";
import { providerOf } from "./client.ts";

export class MigrationError extends Error {}

/**
 * The folder holding `prisma/<provider>/migrations`: the repository root when running from
 * source (src/db/ → ../..), dist/ in the compiled build (scripts/build.mjs copies the
 * migrations there, next to the bundle this module is compiled into).
 */
function migrationsRoot(provider: "sqlite" | "postgres"): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "prisma", provider, "migrations"))) return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new MigrationError(`no prisma/${provider}/migrations folder above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}
const LOCK_ID = 727_073_690;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  provider: "sqlite" | "postgres";
  applied: string[];
  total: number;
}

export function readMigrations(provider: "sqlite" | "postgres", root = migrationsRoot(provider)): Migration[] {
  const dir = join(root, "prisma", provider, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkApplied(applied: Map<string, string>, migrations: Migration[]): void {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum !== undefined && sum !== m.checksum) {
      throw new MigrationError(`migration ${m.name} was changed after it was applied`);
    }
  }
}

/** Brings the database at `url` up to date; returns the migrations it applied. */
export async function migrate(url: string): Promise<MigrateResult> {
  const provider = providerOf(url);
  const migrations = readMigrations(provider);
  const applied = provider === "sqlite" ? migrateSqlite(url, migrations) : await migratePostgres(url, migrations);
  return { provider, applied, total: migrations.length };
}

export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

function migrateSqlite(url: string, migrations: Migration[]): string[] {
  const path = sqlitePath(url);
  if (path !== ":memory:" && !existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 10_000 });
  try {
    db.pragma("journal_mode = WAL");
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done: string[] = [];
    const readApplied = () =>
      new Map(
        (
          db
            .prepare(
              `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
            )
            .all() as { migration_name: string; checksum: string }[]
        ).map((r) => [r.migration_name, r.checksum]),
      );
    checkApplied(readApplied(), migrations);
    for (const m of migrations) {
      const apply = db.transaction(() => {
        if (readApplied().has(m.name)) return false;
        db.exec(m.sql);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), m.checksum, Date.now(), m.name, Date.now());
        return true;
      });
      if (apply.immediate()) done.push(m.name);
    }
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const { default: pg } = (await import("pg")) as { default: typeof Pg };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const applied = new Map(rows.rows.map((r) => [r.migration_name, r.checksum]));
    checkApplied(applied, migrations);
    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
