#!/usr/bin/env node
// The operator's CLI (package bin; `npm run cli -- <command>` runs it too).
// A production install (`npm ci --omit=dev` after `npm run build`) runs the compiled
// dist/cli.js. A development install (tsx present next to src/) runs the TypeScript
// source through tsx, so an edited source is never shadowed by an old build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src/cli/main.ts");
const compiled = join(root, "dist/cli.js");

function tsxLoader() {
  try {
    return createRequire(join(root, "package.json")).resolve("tsx");
  } catch {
    return null;
  }
}

const tsx = existsSync(source) ? tsxLoader() : null;
if (tsx) {
  const res = spawnSync(process.execPath, ["--import", pathToFileURL(tsx).href, source, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(res.status ?? 1);
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  process.stderr.write("cum-thi-dua: dist/cli.js is missing: run `npm run build` first\n");
  process.exit(1);
}
