// The one Prisma client factory. The provider follows the DATABASE_URL scheme:
// `file:` → SQLite (embedded default), `postgres(ql)://` → PostgreSQL. The two
// generated clients differ only in details, so the SQLite one is the canonical
// type and the PostgreSQL one is cast to it here, and only here.
import { createRequire } from "node:module";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg as PrismaPgType } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import type Pg from "pg";
import { PrismaClient as PostgresClient } from "../generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.ts";
import type { HotPath } from "./hot-path.ts";
import { createPostgresHotPath } from "./hot-path-pg.ts";
import { createSqliteHotPath } from "./hot-path-sqlite.ts";
import { BUSY_DEADLINE_MS, BUSY_TIMEOUT_MS, type BusyRetry, createBusyRetry } from "./sqlite-busy.ts";

export type Db = SqliteClient;
export type DbProvider = "sqlite" | "postgres";

export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(`unsupported database URL scheme (expected file: or postgresql://)`);
}

export interface DbHandle {
  db: Db;
  provider: DbProvider;
  /** the per-update statements on the driver (src/db/hot-path.ts) */
  hot: HotPath;
  /** SQL statements sent so far through Prisma and the hot path (the statement-count test reads it) */
  statements(): number;
  /** one trivial query: resolves when the database answers (the readiness probe) */
  ping(): Promise<void>;
  close(): Promise<void>;
}

async function ping(db: { $queryRawUnsafe(sql: string): Promise<unknown> }): Promise<void> {
  await db.$queryRawUnsafe("SELECT 1");
}

interface Queryable {
  queryRaw(...args: unknown[]): Promise<unknown>;
  executeRaw(...args: unknown[]): Promise<unknown>;
}

/** Counts the statements Prisma sends through a driver adapter (and its transactions). */
function counting<F extends { connect(): Promise<unknown> }>(factory: F, counter: { n: number }): F {
  const wrap = (q: Queryable) => {
    for (const m of ["queryRaw", "executeRaw"] as const) {
      const orig = q[m].bind(q);
      q[m] = (...args: unknown[]) => {
        counter.n++;
        return orig(...args);
      };
    }
  };
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as Queryable & { startTransaction(...a: unknown[]): Promise<Queryable> };
    wrap(adapter);
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...a: unknown[]) => {
      const tx = await start(...a);
      wrap(tx);
      return tx;
    };
    return adapter;
  };
  return factory;
}

/**
 * WAL with synchronous=FULL on every connection: one fsync of the WAL per commit instead of
 * several fsyncs of the database file and a rollback journal (the default mode). FULL, not
 * NORMAL: an answer the bot has confirmed ("Đã lưu") must survive a power cut too, and
 * Telegram will not redeliver it. NORMAL measured about 1.4× faster (docs/benchmarks.md).
 *
 * Another process's write lock is waited for asynchronously (src/db/sqlite-busy.ts): a
 * statement outside a transaction that got SQLITE_BUSY changed nothing and runs again
 * later, and Prisma's transactions take the write lock when they begin (BEGIN IMMEDIATE
 * instead of the adapter's deferred BEGIN), so they wait before they have done anything
 * and never fail halfway on the lock (nor with SQLITE_BUSY_SNAPSHOT on their first write).
 */
function withSqlitePragmas(
  factory: PrismaBetterSQLite3,
  busy: BusyRetry,
  onClient: (client: BetterSqlite3.Database) => void,
): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as unknown as Queryable & {
      client?: BetterSqlite3.Database;
      startTransaction(...a: unknown[]): Promise<{ rollback(): Promise<void> }>;
    };
    const client = adapter.client;
    if (!client) throw new Error("the SQLite adapter exposes no connection");
    client.pragma("journal_mode = WAL");
    client.pragma("synchronous = FULL");
    for (const m of ["queryRaw", "executeRaw"] as const) {
      const orig = adapter[m].bind(adapter);
      adapter[m] = (...args: unknown[]) => busy(() => orig(...args));
    }
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = (...a: unknown[]) =>
      busy(async () => {
        // the adapter's own BEGIN (deferred) takes no lock; nothing ran in it yet
        const tx = await start(...a);
        try {
          client.exec("ROLLBACK");
          client.exec("BEGIN IMMEDIATE");
        } catch (err) {
          await tx.rollback(); // releases the adapter's transaction mutex (no statement)
          throw err;
        }
        return tx;
      });
    onClient(client);
    return adapter as unknown as Awaited<ReturnType<typeof connect>>;
  };
  return factory;
}

export function createDb(url: string): DbHandle {
  const provider = providerOf(url);
  const counter = { n: 0 };
  if (provider === "sqlite") {
    // timeout = SQLite's busy timeout, short: another process's write lock (cli tick beside
    // the running bot) is waited for asynchronously, see withSqlitePragmas
    let connection: BetterSqlite3.Database | undefined;
    const busy = createBusyRetry();
    const factory = withSqlitePragmas(new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS }), busy, (c) => {
      connection = c;
    });
    // maxWait covers the asynchronous wait for the write lock at BEGIN IMMEDIATE (Prisma's
    // default, 2 s, would fail a transaction the 10 s busy timeout used to let wait)
    const db = new SqliteClient({
      adapter: counting(factory, counter),
      transactionOptions: { maxWait: BUSY_DEADLINE_MS },
    });
    // the hot path shares Prisma's one connection (see createSqliteHotPath)
    const hot = createSqliteHotPath(async () => {
      if (!connection) await db.$queryRawUnsafe("SELECT 1");
      return connection!;
    }, busy);
    return {
      db,
      provider,
      hot,
      statements: () => counter.n + hot.statements,
      ping: () => ping(db),
      close: () => db.$disconnect(),
    };
  }
  // PostgreSQL's driver and adapter are loaded for a postgresql:// URL only (a SQLite bot
  // starts ~10 MB smaller without them)
  const load = createRequire(import.meta.url);
  const pg = load("pg") as typeof Pg;
  const { PrismaPg } = load("@prisma/adapter-pg") as { PrismaPg: typeof PrismaPgType };
  const client = new PostgresClient({ adapter: counting(new PrismaPg({ connectionString: url, max: 10 }), counter) });
  const db = client as unknown as Db;
  // timestamp columns (without time zone) hold UTC, as Prisma writes them
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === pg.types.builtins.TIMESTAMP
        ? (s: string) => new Date(`${s.replace(" ", "T")}Z`)
        : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: 4, allowExitOnIdle: true, types });
  // An idle connection the server (or the network) dropped: the pool replaces it on the
  // next query. Without a listener the pool's error event would end the process.
  pool.on("error", () => undefined);
  // A checked-out connection that drops between queries (say, inside the answer's
  // transaction) emits "error" on the client itself, not on the pool: the query in
  // flight already rejects and the caller answers the user, so the event only needs a
  // listener, or it ends the process (seen in the database-faults suite).
  pool.on("connect", (c) => c.on("error", () => undefined));
  const hot = createPostgresHotPath(pool);
  return {
    db,
    provider,
    hot,
    statements: () => counter.n + hot.statements,
    ping: () => ping(client),
    async close() {
      await Promise.all([client.$disconnect(), pool.end()]);
    },
  };
}
