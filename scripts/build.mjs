// `npm run build`: compiles the bot (src/main.ts) and the operator's CLI (src/cli/main.ts)
// to JavaScript in dist/, with esbuild (already the engine under tsx, so no new tool).
// Why a bundler and not `tsc`: our ~150 modules (src/, scenes/ and the generated Prisma
// clients in src/generated/) become a few files, so start-up does not resolve and read
// each module; the build takes about a second, so tests and the bench build on the fly.
// Types are checked by `npm run typecheck`, not here. Packages stay external: a
// production install (`npm ci --omit=dev`) provides them, and native ones
// (better-sqlite3, @napi-rs/canvas) cannot be bundled anyway.
//
// dist/ is self-contained apart from node_modules: the SQL migrations are copied to
// dist/prisma/<provider>/migrations, where src/db/migrator.ts finds them, so a
// production tree needs package.json, the lockfile, dist/ and bin/.
//
// Usage: node scripts/build.mjs [--outdir <dir>] [--bench]   (default dist)
//   --bench also compiles the bench's bot process (test/bench/bot-child.ts → bench-bot.js),
//   so `npm run bench` measures the bot as production runs it, not under tsx.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outdir: { type: "string" }, bench: { type: "boolean" } } });
const outdir = resolve(root, values.outdir ?? "dist");

for (const provider of ["sqlite", "postgres"]) {
  if (!existsSync(join(root, "src/generated", provider, "client.ts"))) {
    console.error(`build: src/generated/${provider} is missing; run \`npm run db:generate\` first`);
    process.exit(1);
  }
}

// What goes into the bundle besides our code:
// - @prisma/client's runtime (a devDependency), with the generated clients that use it, so
//   a production install does not need the package, and so does not pull in its optional
//   peers, the Prisma CLI and TypeScript (npm installs an optional peer the lockfile holds);
// - the plain-JavaScript packages every start loads, spread over hundreds of small files
//   (Node's ESM loader costs ~1 ms of CPU per file): about a quarter less CPU to the first
//   answer (`npm run bench -- startup`).
// Every other dependency stays an import of node_modules: native addons (better-sqlite3,
// @napi-rs/canvas), what loads only when needed (pg, the renderers, date-holidays), and
// packages that find their own files at run time (pino's transports, node-cron's daemon,
// the fonts).
const BUNDLED = new Set([
  "grammy",
  "@grammyjs/auto-retry",
  "@grammyjs/runner",
  "@prisma/adapter-better-sqlite3",
  "yaml",
  "zod",
]);
const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // render-worker: the renderers' thread (src/render/off-thread.ts looks for it in dist/)
  entryPoints: {
    main: "src/main.ts",
    cli: "src/cli/main.ts",
    "render-worker": "src/render/render-worker.ts",
    ...(values.bench ? { "bench-bot": "test/bench/bot-child.ts" } : {}),
  },
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // the bundled Prisma runtime is CommonJS and requires Node's built-in modules
  banner: {
    js: 'import { createRequire as __ctdCreateRequire } from "node:module"; const require = __ctdCreateRequire(import.meta.url);',
  },
  sourcemap: true,
  sourcesContent: false, // the maps point at src/; they stay small
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
for (const provider of ["sqlite", "postgres"]) {
  cpSync(join(root, "prisma", provider, "migrations"), join(outdir, "prisma", provider, "migrations"), {
    recursive: true,
  });
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `build: ${Object.keys(result.metafile.inputs).length} modules → ${outdir} ` +
    `(${(bytes / 1024).toFixed(0)} kB with source maps) in ${(performance.now() - started).toFixed(0)} ms`,
);
