// Sends a ranked summary to one chat: the text (split under Telegram's limit), the
// chart as a photo (when anyone submitted), the spreadsheet and the briefing document
// (DOCX) as documents. Used by /tongket and by the scheduler's summary post to the
// cluster's group.
//
// The files are made on the render worker (src/render/off-thread.ts), started before the
// first text message goes out, so they are drawn while the text is sent and the bot's
// event loop stays free; the chair still sees them in the same order: text, chart pages,
// spreadsheet, document. A closed summary's files are kept (./summary-files.ts): a second
// /tongket sends them again by Telegram file_id, without drawing or uploading.
import { setImmediate as turn } from "node:timers/promises";
import { type Api, GrammyError, InputFile } from "grammy";
import type { Message } from "grammy/types";
import type { Cluster } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { BriefingContext, BriefingService } from "../services/briefing.service.ts";
import type { Clock } from "../services/clock.ts";
import { GroupPostError, type GroupService } from "../services/group.service.ts";
import type { SummaryPoster } from "../services/ledger-executor.ts";
import type { Summary, SummaryService } from "../services/summary.service.ts";
import * as vi from "./locales/vi.ts";
import { briefingKey, type SummaryFileCache, summaryContentKey } from "./summary-files.ts";
import { briefingDocSpec } from "./views/briefing.view.ts";
import { summaryCaptions, summaryChartInputs, summaryMessages, summaryWorkbookSpec } from "./views/summary.view.ts";

const HTML = { parse_mode: "HTML" } as const;

/** One file of a summary: its cache key (null: not kept), its name, and its bytes when asked for. */
interface SummaryFile {
  key: string | null;
  name: string;
  bytes(): Promise<Buffer>;
  /** starts making it unless it is kept (its file_id or bytes) */
  start(): void;
}

type Renderers = typeof import("../render/off-thread.ts");

/**
 * The summary's files, each taken from the cache or made on the render worker when started
 * (the chart pages now: they take longest); one whose file_id is kept is only drawn if
 * Telegram refuses the id.
 */
function summaryFiles(
  r: Renderers,
  s: Summary,
  briefing: BriefingContext,
  cache: SummaryFileCache | undefined,
): { charts: SummaryFile[]; workbook: SummaryFile; document: SummaryFile } {
  const captions = summaryCaptions(s);
  const base = cache ? summaryContentKey(s) : null;
  const file = (key: string | null, name: string, render: () => Promise<Buffer>): SummaryFile => {
    const kept = key && cache ? cache.get(key) : undefined;
    let pending: Promise<Buffer> | null = kept?.bytes ? Promise.resolve(kept.bytes) : null;
    const bytes = () => {
      pending ??= render().then((b) => {
        if (key && cache) cache.putBytes(key, b);
        return b;
      });
      return pending;
    };
    // the error, if any, surfaces when the file is sent
    const start = () => (kept?.fileId ? undefined : void bytes().catch(() => undefined));
    return { key, name, bytes, start };
  };

  const charts: SummaryFile[] = [];
  if (s.counts.submitted > 0) {
    const pages = summaryChartInputs(s);
    const keys = pages.map((_, i) => (base ? `${base}:chart:${i + 1}/${pages.length}` : null));
    // the pages not kept are drawn in one job, each sent as soon as it is ready
    const missing = pages.flatMap((_, i) => {
      const kept = keys[i] && cache ? cache.get(keys[i]!) : undefined;
      return kept?.bytes || kept?.fileId ? [] : [i];
    });
    let drawn: Promise<Buffer>[] | null = null;
    const drawMissing = () => {
      drawn ??= r.renderBarChartsOffThread(missing.map((i) => pages[i]!));
      return drawn;
    };
    pages.forEach((page, i) => {
      const name = pages.length === 1 ? `${captions.fileBase}.png` : `${captions.fileBase}-${i + 1}.png`;
      const at = missing.indexOf(i);
      // a page whose file_id Telegram refuses later is drawn alone
      const render = () => (at >= 0 ? drawMissing()[at]! : r.renderBarChartsOffThread([page])[0]!);
      charts.push(file(keys[i] ?? null, name, render));
    });
    for (const chart of charts) chart.start();
  }
  const workbook = file(base && `${base}:xlsx`, `${captions.fileBase}.xlsx`, () =>
    r.renderWorkbookOffThread(summaryWorkbookSpec(s)),
  );
  const document = file(base && `${briefingKey(base, s, briefing)}:docx`, `${captions.briefingBase}.docx`, () =>
    r.renderPartyDocumentOffThread(briefingDocSpec(s, briefing)),
  );
  return { charts, workbook, document };
}

/** The file_id Telegram gave a sent photo (its largest size) or document. */
function fileIdOf(message: Message): string | null {
  return message.photo?.at(-1)?.file_id ?? message.document?.file_id ?? null;
}

/**
 * Sends a file: by its kept file_id when there is one (a refused id is forgotten and the
 * file uploaded), else uploaded, keeping the file_id Telegram returns.
 */
async function sendFile(
  send: (file: string | InputFile) => Promise<Message>,
  f: SummaryFile,
  cache: SummaryFileCache | undefined,
  failed: (name: string) => Promise<unknown>,
  r: Renderers,
): Promise<void> {
  const kept = f.key && cache ? cache.get(f.key)?.fileId : null;
  if (kept && f.key && cache) {
    try {
      await send(kept);
      return;
    } catch (err) {
      // a 400 about the file (an id from another bot, an expired one): upload instead; anything else stands
      if (!(err instanceof GrammyError) || err.error_code !== 400 || migratedTo(err) !== null) throw err;
      cache.forgetFileId(f.key);
    }
  }
  let bytes: Buffer;
  try {
    bytes = await f.bytes();
  } catch (err) {
    // the render worker died making it (out of memory on a very large cluster): say so, send the rest
    if (!(err instanceof r.RenderFailed)) throw err;
    await failed(f.name);
    return;
  }
  const message = await send(new InputFile(bytes, f.name));
  const id = fileIdOf(message);
  if (f.key && cache && id) cache.putFileId(f.key, id);
}

export async function sendSummary(
  api: Api,
  chatId: number,
  s: Summary,
  briefing: BriefingContext,
  cache?: SummaryFileCache,
): Promise<void> {
  // The renderers (canvas and chart.js, the spreadsheet, the document) load with the first
  // summary, on the render worker, not at start-up.
  const renderers = await import("../render/off-thread.ts");
  const files = summaryFiles(renderers, s, briefing, cache);
  await turn();
  // The spreadsheet's and the document's descriptions (~50–100 ms each for 1,000 boards) are
  // made once the first text message is out, in separate turns of the event loop.
  let rest: Promise<void> | null = null;
  for (const chunk of summaryMessages(s)) {
    await api.sendMessage(chatId, chunk, HTML);
    rest ??= (async () => {
      await turn();
      files.workbook.start();
      await turn();
      files.document.start();
    })();
  }
  await rest;
  const captions = summaryCaptions(s);
  const failed = (name: string) => api.sendMessage(chatId, vi.summary.fileFailed(name), HTML);
  // A large cluster's chart comes as several images, every board in one of them.
  for (const [i, chart] of files.charts.entries()) {
    const caption = files.charts.length === 1 ? captions.photo : `${captions.photo} (${i + 1}/${files.charts.length})`;
    await sendFile((photo) => api.sendPhoto(chatId, photo, { caption, ...HTML }), chart, cache, failed, renderers);
  }
  const document = (caption: string) => (doc: string | InputFile) =>
    api.sendDocument(chatId, doc, { caption, ...HTML });
  await sendFile(document(captions.document), files.workbook, cache, failed, renderers);
  await sendFile(document(captions.briefing), files.document, cache, failed, renderers);
}

/** The new id of a group Telegram upgraded to a supergroup, from its 400 answer; null for any other error. */
export function migratedTo(err: unknown): bigint | null {
  if (!(err instanceof GrammyError) || err.error_code !== 400) return null;
  const id = err.parameters.migrate_to_chat_id;
  return typeof id === "number" ? BigInt(id) : null;
}

/**
 * The scheduler's summary post: the ranked summary to the cluster's group chat. A group upgraded to a
 * supergroup is followed (the cluster posts to the new id from now on) and the post goes there; any other
 * failure becomes a GroupPostError the scheduler tells the chair about and retries.
 */
export function createSummaryPoster(
  api: Api,
  summary: SummaryService,
  briefing: BriefingService,
  groups: GroupService,
  clock: Clock,
  cache?: SummaryFileCache,
): SummaryPoster {
  return async (cluster: Cluster, ref: PeriodRef) => {
    if (cluster.groupChatId === null) throw new GroupPostError("no_group");
    const s = await summary.build(cluster, ref, clock.now());
    if (!s) return;
    const context = await briefing.context(cluster.id, ref);
    let chatId = cluster.groupChatId;
    for (let attempt = 1; ; attempt++) {
      try {
        await sendSummary(api, Number(chatId), s, context, cache);
        return;
      } catch (err) {
        const to = migratedTo(err);
        if (to !== null && attempt === 1) {
          await groups.followMigration(chatId, to);
          chatId = to;
          continue;
        }
        throw new GroupPostError(err instanceof GrammyError && err.error_code === 403 ? "refused" : "failed", err);
      }
    }
  };
}
