// Sends a ranked summary to one chat: the text (split under Telegram's limit), the
// chart as a photo (when anyone submitted), the spreadsheet and the briefing document
// (DOCX) as documents. Used by /tongket and by the scheduler's summary post to the
// cluster's group.
import { type Api, InputFile } from "grammy";
import type { Cluster } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { BriefingContext, BriefingService } from "../services/briefing.service.ts";
import type { Clock } from "../services/clock.ts";
import type { SummaryPoster } from "../services/scheduler.service.ts";
import type { Summary, SummaryService } from "../services/summary.service.ts";
import { briefingDocSpec } from "./views/briefing.view.ts";
import { summaryCaptions, summaryChartInputs, summaryMessages, summaryWorkbookSpec } from "./views/summary.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export async function sendSummary(api: Api, chatId: number, s: Summary, briefing: BriefingContext): Promise<void> {
  // The renderers (canvas and chart.js, exceljs, docx: ~50 MB and ~0.5 s to load) are loaded
  // by the first summary, not at start-up: the bot starts and answers without them.
  const [{ renderBarChart }, { renderWorkbook }, { renderPartyDocument }] = await Promise.all([
    import("../render/chart.ts"),
    import("../render/xlsx.ts"),
    import("../render/docx.ts"),
  ]);
  for (const chunk of summaryMessages(s)) await api.sendMessage(chatId, chunk, HTML);
  const captions = summaryCaptions(s);
  if (s.counts.submitted > 0) {
    // A large cluster's chart comes as several images, every board in one of them.
    const pages = summaryChartInputs(s);
    for (const [i, page] of pages.entries()) {
      const png = await renderBarChart(page);
      const name = pages.length === 1 ? captions.fileBase : `${captions.fileBase}-${i + 1}`;
      const caption = pages.length === 1 ? captions.photo : `${captions.photo} (${i + 1}/${pages.length})`;
      await api.sendPhoto(chatId, new InputFile(png, `${name}.png`), { caption, ...HTML });
    }
  }
  const xlsx = await renderWorkbook(summaryWorkbookSpec(s));
  await api.sendDocument(chatId, new InputFile(xlsx, `${captions.fileBase}.xlsx`), {
    caption: captions.document,
    ...HTML,
  });
  const docx = await renderPartyDocument(briefingDocSpec(s, briefing));
  await api.sendDocument(chatId, new InputFile(docx, `${captions.briefingBase}.docx`), {
    caption: captions.briefing,
    ...HTML,
  });
}

/** The scheduler's summary post: the ranked summary to the cluster's group chat. */
export function createSummaryPoster(
  api: Api,
  summary: SummaryService,
  briefing: BriefingService,
  clock: Clock,
): SummaryPoster {
  return async (cluster: Cluster, ref: PeriodRef) => {
    if (cluster.groupChatId === null) return;
    const s = await summary.build(cluster, ref, clock.now());
    if (s) await sendSummary(api, Number(cluster.groupChatId), s, await briefing.context(cluster.id, ref));
  };
}
