import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // vitest defaults to cores − 1 = one worker here; most suites wait on sockets and child processes
    maxWorkers: 2,
    coverage: {
      provider: "v8",
      // the pure domain, and the layers the tests drive in-process: services, the bot and its scene
      include: ["src/domain/**/*.ts", "src/services/**/*.ts", "src/bot/**/*.ts", "scenes/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 90 },
    },
  },
});
