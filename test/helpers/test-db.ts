// Throw-away databases for integration tests: a fresh SQLite file always, and a
// fresh PostgreSQL database (created and dropped) when TEST_DATABASE_URL is set.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, type DbHandle } from "../../src/db/client.ts";
import { createRepositories, type Repositories } from "../../src/db/index.ts";
import { migrate } from "../../src/db/migrator.ts";

export interface TestDb extends DbHandle {
  url: string;
  repos: Repositories;
  drop(): Promise<void>;
}

export interface TestDbKind {
  name: "sqlite" | "postgres";
  /** a URL for a new, empty, not yet migrated database */
  fresh(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqliteKind: TestDbKind = {
  name: "sqlite",
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "ctd-test-"));
    return { url: `file:${join(dir, "test.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgresKind(baseUrl: string): TestDbKind {
  return {
    name: "postgres",
    async fresh() {
      const name = `ctd_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          const c = new pg.Client({ connectionString: baseUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

/** The database kinds this run covers: SQLite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function testDbKinds(): TestDbKind[] {
  const pgUrl = process.env.TEST_DATABASE_URL;
  return pgUrl ? [sqliteKind, postgresKind(pgUrl)] : [sqliteKind];
}

export async function createTestDb(kind: TestDbKind): Promise<TestDb> {
  const { url, drop } = await kind.fresh();
  await migrate(url);
  const handle = createDb(url);
  return {
    ...handle,
    url,
    repos: createRepositories(handle.db),
    async drop() {
      await handle.close();
      await drop();
    },
  };
}
