// The summary's files off the main thread and kept for a closed period: the render worker
// makes the same PNGs, spreadsheet and document as the in-process renderers; sendSummary
// starts them before the text goes out and still sends text, chart pages, spreadsheet,
// document in that order; a second send of an unchanged closed summary re-sends the
// Telegram file_ids (same bytes kept), a changed or open one is drawn and uploaded anew.
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { Api, GrammyError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSummaryFileCache, summaryContentKey } from "../../src/bot/summary-files.ts";
import { sendSummary } from "../../src/bot/summary-sender.ts";
import { briefingDocSpec } from "../../src/bot/views/briefing.view.ts";
import { summaryChartInputs, summaryWorkbookSpec } from "../../src/bot/views/summary.view.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { renderBarCharts } from "../../src/render/chart.ts";
import { renderPartyDocument } from "../../src/render/docx.ts";
import {
  closeRenderWorker,
  RenderFailed,
  renderBarChartsOffThread,
  renderPartyDocumentOffThread,
  renderWorkbookOffThread,
  renderWorkerRunning,
  setRenderWorkerEntryForTests,
} from "../../src/render/off-thread.ts";
import { renderWorkbook } from "../../src/render/xlsx.ts";
import { type BriefingContext, createBriefingService } from "../../src/services/briefing.service.ts";
import { createSummaryService, type Summary } from "../../src/services/summary.service.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const TZ = "Asia/Ho_Chi_Minh";
const Q3 = { year: 2026, quarter: 3 } as const;
/** after the deadline of quý III/2026 (5 October): the summary is closed */
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, TZ);
const LATER_SAME_DAY = zonedLocalToInstant(2026, 10, 9, 18, 30, TZ);
const NEXT_DAY = zonedLocalToInstant(2026, 10, 10, 9, 0, TZ);
/** before the deadline: the summary is open (provisional) */
const BEFORE = zonedLocalToInstant(2026, 10, 3, 9, 0, TZ);

interface Call {
  method: string;
  payload: Record<string, unknown>;
  /** the render worker was running when the call went out */
  workerRunning: boolean;
}

/** An Api that records calls and answers like Telegram, with a file_id per uploaded file. */
function recordingApi(opts: { refuseFileIds?: boolean } = {}) {
  const calls: Call[] = [];
  const api = new Api("123:abc");
  let files = 0;
  api.config.use(async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    calls.push({ method, payload: p, workerRunning: renderWorkerRunning() });
    const field = method === "sendPhoto" ? p.photo : p.document;
    if (opts.refuseFileIds && typeof field === "string") {
      throw new GrammyError(
        "refused",
        { ok: false, error_code: 400, description: "Bad Request: wrong file identifier/HTTP URL specified" },
        method,
        p,
      );
    }
    const fileId = typeof field === "string" ? field : field ? `file-${++files}` : "";
    const media =
      method === "sendPhoto"
        ? {
            photo: [
              { file_id: `${fileId}-small`, file_unique_id: "s", width: 90, height: 50 },
              { file_id: fileId, file_unique_id: "b", width: 1080, height: 600 },
            ],
          }
        : method === "sendDocument"
          ? { document: { file_id: fileId, file_unique_id: "d" } }
          : {};
    // a recorded call answers with a minimal Message
    return {
      ok: true,
      result: { message_id: calls.length, date: 0, chat: { id: 1, type: "private" }, ...media },
    } as never;
  });
  return { api, calls };
}

const uploads = (calls: Call[]) =>
  calls.flatMap((c) => {
    const f = c.method === "sendPhoto" ? c.payload.photo : c.method === "sendDocument" ? c.payload.document : null;
    return f instanceof InputFile ? [f] : [];
  });
const byId = (calls: Call[]) =>
  calls.flatMap((c) => {
    const f = c.method === "sendPhoto" ? c.payload.photo : c.method === "sendDocument" ? c.payload.document : null;
    return typeof f === "string" ? [f] : [];
  });
async function rawOf(f: InputFile): Promise<Buffer> {
  return Buffer.from((await f.toRaw()) as Uint8Array);
}

describe.each(testDbKinds())("summary files on the render worker and kept for a closed period on $name", (kind) => {
  let t: TestDb;
  let seeded: Seeded;
  let build: (at: Date) => Promise<Summary>;
  let context: BriefingContext;

  beforeAll(async () => {
    t = await createTestDb(kind);
    // 7 boards, 3 chart pages of at most 3 (perImage is a view option: the default page size is 50,
    // so the pages here come from summaryChartInputs(s, { perImage: 3 }) where it matters)
    seeded = await seedCluster(t.repos, { code: "cum-f", name: "Cụm thi đua các tỉnh" });
    await seedPeriod(t.repos, seeded, Q3, {
      HN: { values: { ket_nap: 40, chinh_thuc: 12 } },
      HCM: { values: { ket_nap: 55, chinh_thuc: 9 }, late: true },
    });
    const service = createSummaryService(t.repos);
    build = async (at) => (await service.build(seeded.cluster, Q3, at))!;
    context = await createBriefingService(t.repos).context(seeded.cluster.id, Q3);
  });
  afterAll(async () => {
    await closeRenderWorker();
    await t?.drop();
  });

  it("the worker makes the same chart pages, spreadsheet and document as the main thread, page by page", async () => {
    const s = await build(AFTER);
    const pages = summaryChartInputs(s, { perImage: 1 });
    expect(pages.length).toBeGreaterThan(1);
    const here: Buffer[] = [];
    for await (const png of renderBarCharts(pages)) here.push(png);
    const there = renderBarChartsOffThread(pages);
    expect(renderWorkerRunning()).toBe(true);
    expect(there).toHaveLength(pages.length);
    for (const [i, p] of there.entries()) {
      const png = await p;
      expect(Buffer.isBuffer(png)).toBe(true);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      const img = await loadImage(png);
      const ref = await loadImage(here[i]!);
      expect({ width: img.width, height: img.height }).toEqual({ width: ref.width, height: ref.height });
      // drawn by the same Skia with the same fonts: the same pixels
      const pixels = (image: typeof img) => {
        const canvas = createCanvas(image.width, image.height);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(image, 0, 0);
        return Buffer.from(ctx.getImageData(0, 0, image.width, image.height).data);
      };
      expect(pixels(img).equals(pixels(ref))).toBe(true);
    }
    const workbook = summaryWorkbookSpec(s);
    expect((await renderWorkbookOffThread(workbook)).equals(await renderWorkbook(workbook))).toBe(true);
    const doc = briefingDocSpec(s, context);
    const [docHere, docThere] = await Promise.all([renderPartyDocument(doc), renderPartyDocumentOffThread(doc)]);
    expect(docThere.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(docThere.equals(docHere)).toBe(true);
  });

  it("a worker that does not start: the files are drawn on the main thread", async () => {
    await closeRenderWorker();
    setRenderWorkerEntryForTests(new URL("./no-such-render-worker.mjs", import.meta.url));
    try {
      const s = await build(AFTER);
      const there = renderBarChartsOffThread(summaryChartInputs(s, { perImage: 1 }));
      for (const p of there) expect((await p).subarray(1, 4).toString("latin1")).toBe("PNG");
      expect((await renderWorkbookOffThread(summaryWorkbookSpec(s))).subarray(0, 2).toString("latin1")).toBe("PK");
    } finally {
      setRenderWorkerEntryForTests(null);
      await closeRenderWorker();
    }
  });

  it("a worker that dies at work (out of memory, say): its files fail, the chair is told, the next summary is whole", async () => {
    const s = await build(AFTER);
    await closeRenderWorker();
    // a worker that starts, then dies on each job
    setRenderWorkerEntryForTests(new URL("./fixtures/dying-render-worker.mjs", import.meta.url));
    try {
      const there = renderBarChartsOffThread(summaryChartInputs(s, { perImage: 1 }));
      await expect(there[0]).rejects.toBeInstanceOf(RenderFailed);

      // each file fails, and a notice says so; the text goes out whole
      const { api, calls } = recordingApi();
      await sendSummary(api, 1, s, context);
      expect(calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage", "sendMessage", "sendMessage"]);
      const notices = calls.slice(1).map((c) => String(c.payload.text));
      expect(notices[0]).toContain("Chưa tạo được tệp tong-ket-cum-f-2026-Q3.png: dữ liệu quá lớn");
      expect(notices[1]).toContain("tong-ket-cum-f-2026-Q3.xlsx");
      expect(notices[2]).toContain("bao-cao-cum-f-2026-Q3.docx");
    } finally {
      setRenderWorkerEntryForTests(null);
      await closeRenderWorker();
    }

    const again = recordingApi();
    await sendSummary(again.api, 1, s, context);
    expect(again.calls.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]);
  });

  it("a renderer's error comes back as an error, and the worker goes on", async () => {
    const bad = { title: "x", created: new Date(0), sheets: [{ name: "a", columns: [], rows: null }] };
    await expect(renderWorkbookOffThread(bad as never)).rejects.toThrow();
    const s = await build(AFTER);
    expect((await renderWorkbookOffThread(summaryWorkbookSpec(s))).subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("starts the files before the text goes out; the chair sees text, chart, spreadsheet, document", async () => {
    await closeRenderWorker();
    const { api, calls } = recordingApi();
    await sendSummary(api, 1, await build(AFTER), context);
    expect(calls.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]);
    // the first text message left while the worker was already drawing
    expect(calls[0]!.workerRunning).toBe(true);
    const [png, xlsx, docx] = uploads(calls);
    expect(png!.filename).toBe("tong-ket-cum-f-2026-Q3.png");
    expect(xlsx!.filename).toBe("tong-ket-cum-f-2026-Q3.xlsx");
    expect(docx!.filename).toBe("bao-cao-cum-f-2026-Q3.docx");
    expect((await rawOf(png!)).subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("an unchanged closed summary is sent again by file_id, its kept bytes the same; a changed one is new", async () => {
    const cache = createSummaryFileCache();
    const first = recordingApi();
    const s1 = await build(AFTER);
    await sendSummary(first.api, 1, s1, context, cache);
    const sent = uploads(first.calls);
    expect(sent).toHaveLength(3);
    const firstBytes = await Promise.all(sent.map(rawOf));
    const key = summaryContentKey(s1)!;
    expect(key).not.toBeNull();
    expect(cache.get(`${key}:chart:1/1`)?.bytes?.equals(firstBytes[0]!)).toBe(true);
    expect(cache.get(`${key}:xlsx`)?.bytes?.equals(firstBytes[1]!)).toBe(true);

    // later the same day, another chat: built anew (another generation time), nothing drawn or uploaded
    const second = recordingApi();
    const s2 = await build(LATER_SAME_DAY);
    expect(summaryContentKey(s2)).toBe(key);
    await sendSummary(second.api, 2, s2, context, cache);
    expect(second.calls.map((c) => c.method)).toEqual(["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]);
    expect(uploads(second.calls)).toHaveLength(0);
    expect(byId(second.calls)).toEqual(["file-1", "file-2", "file-3"]);
    expect(cache.get(`${key}:chart:1/1`)?.bytes?.equals(firstBytes[0]!)).toBe(true);

    // the next day: the document is dated anew; the chart and the spreadsheet are the same
    const third = recordingApi();
    await sendSummary(third.api, 2, await build(NEXT_DAY), context, cache);
    expect(byId(third.calls)).toEqual(["file-1", "file-2"]);
    expect(uploads(third.calls).map((f) => f.filename)).toEqual(["bao-cao-cum-f-2026-Q3.docx"]);

    // a late correction (a score changed): a new key, everything drawn and uploaded again
    const corrected: Summary = {
      ...s2,
      boards: s2.boards.map((b, i) => (i === 0 && b.score !== null ? { ...b, score: b.score - 1 } : b)),
    };
    expect(summaryContentKey(corrected)).not.toBe(key);
    const fourth = recordingApi();
    await sendSummary(fourth.api, 3, corrected, context, cache);
    expect(byId(fourth.calls)).toEqual([]);
    const redrawn = await Promise.all(uploads(fourth.calls).map(rawOf));
    expect(redrawn).toHaveLength(3);
    expect(redrawn[0]!.equals(firstBytes[0]!)).toBe(false);
    expect(redrawn[1]!.equals(firstBytes[1]!)).toBe(false);

    // a late report stored in the database: the rebuilt summary differs, so do its files
    await seedPeriod(t.repos, seeded, Q3, { HP: { values: { ket_nap: 10, chinh_thuc: 1 }, late: true } });
    const s5 = await build(LATER_SAME_DAY);
    expect(summaryContentKey(s5)).not.toBe(key);
    const fifth = recordingApi();
    await sendSummary(fifth.api, 4, s5, context, cache);
    expect(byId(fifth.calls)).toEqual([]);
    expect((await rawOf(uploads(fifth.calls)[0]!)).equals(firstBytes[0]!)).toBe(false);
  });

  it("a file_id Telegram refuses is forgotten and the file uploaded; an open summary is never kept", async () => {
    const cache = createSummaryFileCache();
    const s = await build(AFTER);
    await sendSummary(recordingApi().api, 1, s, context, cache);
    const refusing = recordingApi({ refuseFileIds: true });
    await sendSummary(refusing.api, 1, s, context, cache);
    // each file tried by id (refused), then uploaded
    expect(refusing.calls.map((c) => c.method)).toEqual([
      "sendMessage",
      "sendPhoto",
      "sendPhoto",
      "sendDocument",
      "sendDocument",
      "sendDocument",
      "sendDocument",
    ]);
    expect(uploads(refusing.calls)).toHaveLength(3);

    const open = await build(BEFORE);
    expect(open.closed).toBe(false);
    expect(summaryContentKey(open)).toBeNull();
    const before = cache.bytes;
    const a = recordingApi();
    await sendSummary(a.api, 1, open, context, cache);
    const b = recordingApi();
    await sendSummary(b.api, 1, open, context, cache);
    expect(uploads(b.calls)).toHaveLength(3);
    expect(cache.bytes).toBe(before);
  });

  it("keeps at most its byte budget, the least recently used out first, file_ids longer", () => {
    const cache = createSummaryFileCache({ maxBytes: 100, maxFiles: 3 });
    cache.putBytes("a", Buffer.alloc(60));
    cache.putFileId("a", "id-a");
    cache.putBytes("b", Buffer.alloc(60));
    expect(cache.bytes).toBe(60);
    expect(cache.get("a")).toEqual({ bytes: null, fileId: "id-a" });
    expect(cache.get("b")?.bytes?.length).toBe(60);
    cache.putFileId("c", "id-c");
    cache.putFileId("d", "id-d");
    // four files over a limit of three: the least recently used ("a") goes
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("d")?.fileId).toBe("id-d");
    cache.forgetFileId("d");
    expect(cache.get("d")).toBeUndefined();
  });
});
