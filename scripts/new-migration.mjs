// Authors one migration for both providers from the change between
// prisma/schema.snapshot.prisma (the model as of the last migration) and
// prisma/sqlite/schema.prisma. Usage: npm run db:migration -- <name>
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name in snake_case>");
  process.exit(1);
}
execFileSync("node", ["scripts/derive-postgres-schema.mjs"], { stdio: "inherit" });

const tmp = mkdtempSync(join(tmpdir(), "migration-"));
const snapshot = readFileSync("prisma/schema.snapshot.prisma", "utf8");
const pgSnapshot = join(tmp, "snapshot.pg.prisma");
writeFileSync(
  pgSnapshot,
  snapshot.replace('provider = "sqlite"', 'provider = "postgresql"').replace('env("DATABASE_URL")', 'env("PG_URL")'),
);
const sqliteSnapshot = join(tmp, "snapshot.sqlite.prisma");
writeFileSync(sqliteSnapshot, snapshot);

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const targets = [
  {
    dir: "prisma/sqlite/migrations",
    config: "prisma.config.ts",
    from: sqliteSnapshot,
    to: "prisma/sqlite/schema.prisma",
  },
  {
    dir: "prisma/postgres/migrations",
    config: "prisma.pg.config.ts",
    from: pgSnapshot,
    to: "prisma/postgres/schema.prisma",
  },
];
for (const t of targets) {
  const sql = execFileSync(
    "npx",
    [
      "prisma",
      "migrate",
      "diff",
      "--config",
      t.config,
      "--from-schema-datamodel",
      t.from,
      "--to-schema-datamodel",
      t.to,
      "--script",
    ],
    { encoding: "utf8" },
  );
  const dir = join(t.dir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
}
copyFileSync("prisma/sqlite/schema.prisma", "prisma/schema.snapshot.prisma");
