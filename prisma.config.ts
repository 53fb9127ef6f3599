// Prisma CLI configuration for the SQLite schema (the embedded default).
// Prisma 6.19 with the JavaScript schema engine and a driver adapter runs offline.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

process.env.DATABASE_URL ??= "file:./data/bot.db"; // must resolve, or the CLI wants a native engine
const url = process.env.DATABASE_URL.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/bot.db";

// The engine replays whole multi-statement migration files into the shadow database
// through executeRaw, which better-sqlite3 rejects; route them to executeScript.
function withShadowScriptFix(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connectToShadowDb = async () => {
    const shadow = await connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (q) => {
      if (q.args.length) return executeRaw(q);
      await shadow.executeScript(q.sql);
      return 0;
    };
    return shadow;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/sqlite/schema.prisma",
  migrations: { path: "prisma/sqlite/migrations" },
  async adapter() {
    return withShadowScriptFix(new PrismaBetterSQLite3({ url }));
  },
});
