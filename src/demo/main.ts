// Entry of `npm run demo`: plays the quarter, prints the transcript, leaves the files
// in ./demo-output, exits 0 (1 with the reason if anything failed).
import { runDemo } from "./demo.ts";

try {
  const result = await runDemo({ outDir: "demo-output", print: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(
    `\nDemo finished in ${result.seconds.toFixed(1)} s. Files in ${result.outDir}:\n` +
      Object.values(result.files)
        .map((f) => `  ${f}\n`)
        .join(""),
  );
  process.exit(0);
} catch (err) {
  process.stderr.write(`demo failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}
