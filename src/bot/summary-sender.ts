// Sends a ranked summary to one chat: the text (split under Telegram's limit), the
// chart as a photo (when anyone submitted), the spreadsheet and the briefing document
// (DOCX) as documents. Used by /tongket and by the scheduler's summary post to the
// cluster's group.
import { type Api, GrammyError, InputFile } from "grammy";
import type { Cluster } from "../domain/entities.ts";
import type { PeriodRef } from "../domain/types.ts";
import type { BriefingContext, BriefingService } from "../services/briefing.service.ts";
import type { Clock } from "../services/clock.ts";
import { GroupPostError, type GroupService } from "../services/group.service.ts";
import type { SummaryPoster } from "../services/ledger-executor.ts";
import type { Summary, SummaryService } from "../services/summary.service.ts";
import { briefingDocSpec } from "./views/briefing.view.ts";
import { summaryCaptions, summaryChartInputs, summaryMessages, summaryWorkbookSpec } from "./views/summary.view.ts";

const HTML = { parse_mode: "HTML" } as const;

export async function sendSummary(api: Api, chatId: number, s: Summary, briefing: BriefingContext): Promise<void> {
  // The renderers (canvas and chart.js, exceljs, docx: ~50 MB and ~0.5 s to load) are loaded
  // by the first summary, not at start-up: the bot starts and answers without them.
  const [{ renderBarCharts }, { renderWorkbook }, { renderPartyDocument }] = await Promise.all([
    import("../render/chart.ts"),
    import("../render/xlsx.ts"),
    import("../render/docx.ts"),
  ]);
  for (const chunk of summaryMessages(s)) await api.sendMessage(chatId, chunk, HTML);
  const captions = summaryCaptions(s);
  if (s.counts.submitted > 0) {
    // A large cluster's chart comes as several images, every board in one of them.
    const pages = summaryChartInputs(s);
    let i = 0;
    for await (const png of renderBarCharts(pages)) {
      const name = pages.length === 1 ? captions.fileBase : `${captions.fileBase}-${i + 1}`;
      const caption = pages.length === 1 ? captions.photo : `${captions.photo} (${i + 1}/${pages.length})`;
      await api.sendPhoto(chatId, new InputFile(png, `${name}.png`), { caption, ...HTML });
      i++;
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
): SummaryPoster {
  return async (cluster: Cluster, ref: PeriodRef) => {
    if (cluster.groupChatId === null) throw new GroupPostError("no_group");
    const s = await summary.build(cluster, ref, clock.now());
    if (!s) return;
    const context = await briefing.context(cluster.id, ref);
    let chatId = cluster.groupChatId;
    for (let attempt = 1; ; attempt++) {
      try {
        await sendSummary(api, Number(chatId), s, context);
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
