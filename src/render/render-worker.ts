// The renderers' own thread (node:worker_threads): chart.js on @napi-rs/canvas, the
// spreadsheet and the briefing document, so a 1,000-board /tongket (~1.7 s of drawing,
// ~7 s of DOCX) does not stop the bot's event loop. Started by ./off-thread.ts; one job at a time, in the order they came.
// Under tsx/vitest this file runs as TypeScript (off-thread.ts registers tsx in the
// worker); `npm run build` makes it dist/render-worker.js.
import { parentPort } from "node:worker_threads";
import { type BarChartInput, renderBarCharts } from "./chart.ts";
import { type PartyDocSpec, renderPartyDocument } from "./docx.ts";
import { renderWorkbook, type WorkbookSpec } from "./xlsx.ts";

export type RenderTask =
  | { kind: "charts"; inputs: BarChartInput[] }
  | { kind: "workbook"; spec: WorkbookSpec }
  | { kind: "document"; spec: PartyDocSpec };
export type RenderJob = RenderTask & { id: number };

export type RenderReply =
  /** one result: the index-th chart of a job, or its workbook (index 0) */
  { id: number; index: number; bytes: Uint8Array } | { id: number; done: true } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("render-worker.ts runs only as a worker thread");

let queue: Promise<void> = Promise.resolve();

async function run(job: RenderJob): Promise<void> {
  try {
    if (job.kind === "charts") {
      let index = 0;
      for await (const png of renderBarCharts(job.inputs))
        port!.postMessage({ id: job.id, index: index++, bytes: png });
    } else if (job.kind === "workbook") {
      port!.postMessage({ id: job.id, index: 0, bytes: await renderWorkbook(job.spec) });
    } else {
      port!.postMessage({ id: job.id, index: 0, bytes: await renderPartyDocument(job.spec) });
    }
    port!.postMessage({ id: job.id, done: true });
  } catch (err) {
    port!.postMessage({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

port.on("message", (job: RenderJob) => {
  queue = queue.then(() => run(job));
});
port.postMessage({ ready: true });
