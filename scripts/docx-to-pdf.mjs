#!/usr/bin/env node
// Renders a DOCX as a person would see it: LibreOffice converts it to PDF, poppler's
// pdftoppm draws its first page as a PNG beside it (<name>.pdf, <name>-page1.png).
// Fails (exit 1) when LibreOffice reports an error or a warning about the document, or
// writes no PDF. Needs `libreoffice` (Debian: libreoffice-writer-nogui) and `pdftoppm`
// (poppler-utils); not part of CI.
// Run: node scripts/docx-to-pdf.mjs docs/report-example.docx [<output folder>]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

const [file, outArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/docx-to-pdf.mjs <file.docx> [<output folder>]");
  process.exit(2);
}
const input = resolve(file);
const outDir = resolve(outArg ?? dirname(input));
const name = basename(input).replace(/\.docx$/i, "");
// A private profile: no interference with a desktop LibreOffice, and nothing left behind.
const home = mkdtempSync(join(tmpdir(), "docx-to-pdf-"));
try {
  const lo = spawnSync("libreoffice", ["--headless", "--convert-to", "pdf", "--outdir", outDir, input], {
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, HOME: home },
  });
  if (lo.error) throw new Error(`libreoffice: ${lo.error.message}`);
  // javaldx: LibreOffice looking for Java at start-up, unrelated to the document.
  const complaints = `${lo.stdout}${lo.stderr}`.split("\n").filter((l) => /error|warn/i.test(l) && !/javaldx/.test(l));
  const pdf = join(outDir, `${name}.pdf`);
  if (lo.status !== 0 || complaints.length > 0 || !existsSync(pdf)) {
    throw new Error(`LibreOffice could not convert ${file}:\n${lo.stdout}${lo.stderr}`);
  }
  const png = spawnSync(
    "pdftoppm",
    ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, join(outDir, `${name}-page1`)],
    {
      encoding: "utf8",
    },
  );
  if (png.status !== 0) throw new Error(`pdftoppm failed: ${png.stderr || png.error?.message}`);
  const pages = spawnSync("pdfinfo", [pdf], { encoding: "utf8" }).stdout?.match(/Pages:\s+(\d+)/)?.[1] ?? "?";
  console.log(`wrote ${pdf} (${pages} pages) and ${join(outDir, `${name}-page1.png`)}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
