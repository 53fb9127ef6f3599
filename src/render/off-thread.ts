// The renderers on their own thread (./render-worker.ts): the chart pages, the
// spreadsheet and the briefing document are made there, so a 1,000-board summary (~1.7 s
// of drawing and ~7 s of DOCX on the main thread before) leaves the bot's event loop free
// for everyone else's answers.
//
// One worker, started by the first job and ended after IDLE_MS without one (its ~40 MB of
// chart.js, Skia and fonts are not kept for a bot that sends a summary a quarter), with a
// bounded heap. It takes jobs one at a time in order; each chart page comes back as soon
// as it is encoded. Should the worker not start (its file missing), the job is drawn here
// on the main thread instead: slower for the bot, but the summary still goes out. Should
// it die at work (out of its heap on a huge document), the files it was making fail with
// RenderFailed: the main thread's heap is smaller still, and the bot must not die with it.
//
// Where the worker's file is: beside this module in the sources (render-worker.dev.mjs
// registers tsx's loader, then loads the TypeScript: vitest, tsx, the bench), and dist/render-worker.js
// in a build (scripts/build.mjs makes it an entry point; this module's code may sit in
// dist/ or in dist/chunks/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { BarChartInput } from "./chart.ts";
import type { PartyDocSpec } from "./docx.ts";
import type { RenderReply, RenderTask } from "./render-worker.ts";
import type { WorkbookSpec } from "./xlsx.ts";

/** How long an idle worker is kept for the next summary. */
export const IDLE_MS = 60_000;
/** The worker's V8 heap limit (a 1,000-board workbook needs ~40 MB at its peak). */
const HEAP_MB = 128;

/** The worker could not take a job (it could not be found or did not start): the job is drawn on the main thread. */
class WorkerGone extends Error {}

/** The worker died while making a file (e.g. out of memory): the file is not made. */
export class RenderFailed extends Error {}

interface Slot {
  resolve(b: Buffer): void;
  reject(e: Error): void;
  settled: boolean;
}

interface Job {
  worker: Worker;
  slots: Slot[];
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const jobs = new Map<number, Job>();
/** set once the worker could not be found or started: later jobs go straight to the main thread */
let unavailable: string | null = null;

function workerEntry(): { url: URL } | null {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return { url: new URL("./render-worker.dev.mjs", here) };
  for (const candidate of ["./render-worker.js", "../render-worker.js"]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return { url };
  }
  return null;
}

/** A test's stand-in for the worker's file (one that fails to load, say); null: the real one. */
let entryOverride: URL | null = null;

function spawn(): Worker {
  const entry = entryOverride ? { url: entryOverride } : workerEntry();
  if (!entry) throw new WorkerGone("render-worker.js was not found beside the bundle");
  const w = new Worker(entry.url, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  let ready = false;
  w.on("message", (reply: RenderReply) => {
    if ("ready" in reply) ready = true;
    else onReply(reply);
  });
  const gone = (why: string) => {
    const mine = [...jobs].filter(([, job]) => job.worker === w);
    if (worker === w) {
      worker = null;
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
    }
    if (mine.length === 0) return;
    // A worker that never started (its file did not load): its jobs are drawn on the main thread.
    // One that died at work (out of memory on a huge document, say) is not replaced by the main
    // thread, whose heap is smaller still: its jobs fail, and the next job starts a new worker.
    warn(
      ready ? `${why}; the files it was making are not sent` : `${why}; drawing the summary's files on the main thread`,
    );
    for (const [id, job] of mine) {
      jobs.delete(id);
      for (const slot of job.slots) {
        if (!slot.settled) {
          slot.settled = true;
          slot.reject(ready ? new RenderFailed(why) : new WorkerGone(why));
        }
      }
    }
  };
  w.on("error", (err) => gone(`the render worker failed: ${err.message}`));
  w.on("exit", (code) => gone(`the render worker exited (${code})`));
  return w;
}

/** On stderr, for the operator. */
function warn(message: string): void {
  process.emitWarning(message, { code: "CTD_RENDER_WORKER" });
}

function onReply(reply: RenderReply): void {
  const job = jobs.get(reply.id);
  if (!job) return;
  if ("bytes" in reply) {
    const slot = job.slots[reply.index];
    if (slot && !slot.settled) {
      slot.settled = true;
      // the structured clone arrives as a plain Uint8Array: a Buffer over the same memory
      slot.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
    }
    return;
  }
  jobs.delete(reply.id);
  for (const slot of job.slots) {
    if (slot.settled) continue;
    slot.settled = true;
    slot.reject(new Error("error" in reply ? reply.error : "the render worker sent fewer results than asked"));
  }
  if (jobs.size === 0) idle();
}

/** No job left: the worker no longer keeps the process alive, and ends after IDLE_MS. */
function idle(): void {
  const w = worker;
  if (!w) return;
  w.unref();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (worker === w && jobs.size === 0) {
      worker = null;
      void w.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref();
}

/** Sends a job to the worker; one promise per result. Rejects with WorkerGone when there is no worker. */
function submit(task: RenderTask, results: number): Promise<Buffer>[] {
  const promises: Promise<Buffer>[] = [];
  const slots: Slot[] = [];
  for (let i = 0; i < results; i++) {
    promises.push(
      new Promise<Buffer>((resolve, reject) => {
        slots.push({ resolve, reject, settled: false });
      }),
    );
  }
  try {
    if (unavailable) throw new WorkerGone(unavailable);
    if (!worker) {
      try {
        worker = spawn();
      } catch (err) {
        unavailable = err instanceof Error ? err.message : String(err);
        warn(`${unavailable}; drawing the summary's files on the main thread`);
        throw err instanceof WorkerGone ? err : new WorkerGone(unavailable);
      }
    }
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    worker.ref();
    const id = nextId++;
    jobs.set(id, { worker, slots });
    worker.postMessage({ ...task, id });
  } catch (err) {
    const gone = err instanceof WorkerGone ? err : new WorkerGone(String(err));
    for (const slot of slots) {
      slot.settled = true;
      slot.reject(gone);
    }
  }
  return promises;
}

/** Stops a caller that stopped early from crashing the process with an unhandled rejection. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * The PNG of each chart page, drawn on the render worker, in order: page i's promise
 * resolves as soon as that page is encoded. Every promise is observed, so a caller may
 * stop awaiting after an error.
 */
export function renderBarChartsOffThread(inputs: BarChartInput[]): Promise<Buffer>[] {
  if (inputs.length === 0) return [];
  const pages = submit({ kind: "charts", inputs }, inputs.length);
  let local: Promise<Buffer[]> | null = null;
  const drawHere = () => {
    local ??= import("./chart.ts").then(async ({ renderBarCharts }) => {
      const out: Buffer[] = [];
      for await (const png of renderBarCharts(inputs)) out.push(png);
      return out;
    });
    return local;
  };
  return pages.map((p, i) =>
    quiet(
      p.catch(async (err) => {
        if (!(err instanceof WorkerGone)) throw err;
        return (await drawHere())[i]!;
      }),
    ),
  );
}

/** One result made on the worker, or by `here` on the main thread when there is no worker. */
function single(task: RenderTask, here: () => Promise<Buffer>): Promise<Buffer> {
  const [bytes] = submit(task, 1);
  return quiet(
    bytes!.catch((err) => {
      if (!(err instanceof WorkerGone)) throw err;
      return here();
    }),
  );
}

/** The spreadsheet, made on the render worker (after what was asked for before it). */
export function renderWorkbookOffThread(spec: WorkbookSpec): Promise<Buffer> {
  return single({ kind: "workbook", spec }, async () => (await import("./xlsx.ts")).renderWorkbook(spec));
}

/** The briefing document (DOCX), made on the render worker after what was asked for before it. */
export function renderPartyDocumentOffThread(spec: PartyDocSpec): Promise<Buffer> {
  return single({ kind: "document", spec }, async () => (await import("./docx.ts")).renderPartyDocument(spec));
}

/** Whether a worker thread is running now (for tests and the bench). */
export function renderWorkerRunning(): boolean {
  return worker !== null;
}

/** Tests: the worker's file to load instead of the real one (null: the real one again). */
export function setRenderWorkerEntryForTests(url: URL | null): void {
  entryOverride = url;
}

/** Ends the worker now (tests, shutdown): files it was making fail; the next job starts a new one. */
export async function closeRenderWorker(): Promise<void> {
  const w = worker;
  worker = null;
  unavailable = null;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (w) await w.terminate();
}
