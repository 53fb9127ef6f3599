// `npm install` / `npm ci` hook: generates the two Prisma clients (src/generated/) from
// the schema in a development install. A production install (`npm ci --omit=dev`) has
// no Prisma CLI and needs no generated source: it runs the compiled build (dist/), into
// which `npm run build` bundled both clients. So without the CLI this does nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let hasPrismaCli = true;
try {
  require.resolve("prisma/package.json");
} catch {
  hasPrismaCli = false;
}
if (!hasPrismaCli || !existsSync("prisma/sqlite/schema.prisma")) {
  console.log("postinstall: no Prisma CLI or schema (production install): the clients come compiled in dist/");
  process.exit(0);
}
// the same steps as `npm run db:generate`
const res = spawnSync(
  process.env.npm_execpath ? process.execPath : "npm",
  [...(process.env.npm_execpath ? [process.env.npm_execpath] : []), "run", "-s", "db:generate"],
  { stdio: "inherit" },
);
process.exit(res.status ?? 1);
