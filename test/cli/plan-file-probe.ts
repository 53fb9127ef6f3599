// Child process of plans-hostile.test.ts: reads plan files the way `cli plans import` does
// (caps, then the table reader), one after the other, and prints one JSON line per file:
// the outcome, the time, and the process's peak resident memory so far (run it with one
// file to have that file's own peak).
import { PlansCommandError, readCsv, readXlsx } from "../../src/cli/plans.command.ts";
import { readPlanTable } from "../../src/domain/plans.ts";

// exceljs is loaded before the first measurement, as the CLI has it loaded by then
await import("exceljs");
for (const file of process.argv.slice(2)) {
  const started = performance.now();
  let outcome: { ok: boolean; message: string };
  try {
    const rows = /\.csv$/i.test(file) ? await readCsv(file) : (await readXlsx(file)).rows;
    const read = readPlanTable(rows, {
      boards: ["HN", "HCM"],
      indicators: [{ code: "ket_nap", label: "Kết nạp", kind: "integer" }],
    });
    outcome = read.ok
      ? { ok: true, message: JSON.stringify(read.value) }
      : {
          ok: false,
          message: [
            ...read.issues.slice(0, 3).map((i) => `row ${i.row}, column ${i.column}: ${i.message}`),
            `(${read.issues.length} problem(s))`,
          ].join("\n"),
        };
  } catch (err) {
    if (!(err instanceof PlansCommandError)) throw err;
    outcome = { ok: false, message: err.message };
  }
  const ms = performance.now() - started;
  // maxRSS is in KiB
  process.stdout.write(
    `${JSON.stringify({ file, ...outcome, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}
