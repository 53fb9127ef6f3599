// Prisma CLI configuration for the derived PostgreSQL schema. Used to generate the
// PostgreSQL client and to author its migrations (`npm run db:migration`); applying
// migrations at run time is done by src/db/migrator.ts, which needs no schema engine.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

process.env.PG_URL ??= "postgresql://postgres@127.0.0.1:5432/test"; // must resolve, see prisma.config.ts

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/postgres/schema.prisma",
  migrations: { path: "prisma/postgres/migrations" },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.PG_URL });
  },
});
