// The files a summary sends (chart pages, spreadsheet, briefing document): started on
// the render worker as soon as the summary is built, and kept for a summary that can no
// longer change, so a second /tongket of a closed period (or the group post after the
// chair's) neither redraws nor uploads again.
//
// A file is known by a hash of everything it is made from: the summary without its
// generation time (the instant "lập lúc …" in the footnote and the spreadsheet's title
// lines; a reused file keeps the instant it was first made), and for the document the
// briefing context too. A late correction after an unlock, a re-applied cluster file, a
// new late report: every change to what is shown changes the hash, so a changed summary
// never meets an old file. Only closed summaries (Summary.closed) are kept: an open
// period's summary changes with every report.
//
// Per file the cache keeps the bytes (within a byte budget, least recently used out
// first) and the Telegram file_id of its first upload, which Telegram accepts again in
// any chat of the same bot: the cache belongs to one bot (createApp makes one).
import { createHash } from "node:crypto";
import { instantToZonedParts } from "../domain/zoned-time.ts";
import type { BriefingContext } from "../services/briefing.service.ts";
import type { Summary } from "../services/summary.service.ts";

/** ~4 MB per 1,000-board summary (10 chart pages, the spreadsheet, the document) */
const DEFAULT_MAX_BYTES = 32 * 2 ** 20;
const DEFAULT_MAX_FILES = 500;

interface Kept {
  bytes: Buffer | null;
  fileId: string | null;
}

export interface SummaryFileCache {
  /** the bytes or file_id kept for a key; undefined when nothing is kept */
  get(key: string): Readonly<Kept> | undefined;
  putBytes(key: string, bytes: Buffer): void;
  putFileId(key: string, fileId: string): void;
  forgetFileId(key: string): void;
  /** bytes kept now (for tests and the bench) */
  readonly bytes: number;
}

export function createSummaryFileCache(opts: { maxBytes?: number; maxFiles?: number } = {}): SummaryFileCache {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  // a Map keeps insertion order: re-inserting on use makes the first key the least recently used
  const kept = new Map<string, Kept>();
  let total = 0;

  const touch = (key: string): Kept => {
    const entry = kept.get(key) ?? { bytes: null, fileId: null };
    kept.delete(key);
    kept.set(key, entry);
    return entry;
  };
  const trim = () => {
    for (const [key, entry] of kept) {
      if (total <= maxBytes && kept.size <= maxFiles) break;
      if (kept.size > maxFiles) {
        kept.delete(key);
        total -= entry.bytes?.length ?? 0;
      } else if (entry.bytes) {
        // over the byte budget: drop the bytes, keep the file_id (a few bytes) while there is room
        total -= entry.bytes.length;
        entry.bytes = null;
        if (!entry.fileId) kept.delete(key);
      }
    }
  };

  return {
    get(key) {
      return kept.has(key) ? touch(key) : undefined;
    },
    putBytes(key, bytes) {
      const entry = touch(key);
      total += bytes.length - (entry.bytes?.length ?? 0);
      entry.bytes = bytes;
      trim();
    },
    putFileId(key, fileId) {
      touch(key).fileId = fileId;
      trim();
    },
    forgetFileId(key) {
      const entry = kept.get(key);
      if (!entry) return;
      entry.fileId = null;
      if (!entry.bytes) kept.delete(key);
    },
    get bytes() {
      return total;
    },
  };
}

const hash = (text: string) => createHash("sha256").update(text).digest("base64url");

/**
 * The key of a closed summary's content (everything but its generation time); null for a summary
 * that may still change. ~15 ms for 1,000 boards × 40 quarters.
 */
export function summaryContentKey(s: Summary): string | null {
  if (!s.closed) return null;
  return hash(JSON.stringify({ ...s, generatedAt: null }));
}

/**
 * The key of the briefing document: the summary's, the briefing context's, and the day it is
 * dated (the document's "…, ngày … tháng … năm …" is the day it is made: reused the same day only).
 */
export function briefingKey(summaryKey: string, s: Summary, briefing: BriefingContext): string {
  const day = instantToZonedParts(s.generatedAt, s.cluster.timezone);
  return hash(`${summaryKey}\n${day.year}-${day.month}-${day.day}\n${JSON.stringify(briefing)}`);
}
