// Pure renderers of a Summary (summary.service.ts): the chat text (HTML, split under
// Telegram's limit), the same as plain text for the CLI, the chart's input and the
// spreadsheet's description. All words come from the locale; every user-supplied
// string is escaped there.
import { formatNumberVi } from "../../domain/number.ts";
import type { IndicatorKind } from "../../domain/types.ts";
import { instantToZonedParts } from "../../domain/zoned-time.ts";
import type { BarChartBar, BarChartInput, BarTone } from "../../render/chart.ts";
import type { CellValue, SheetSpec, WorkbookSpec } from "../../render/xlsx.ts";
import type {
  BoardHistory,
  RawValue,
  Summary,
  SummaryBoard,
  SummaryIndicator,
} from "../../services/summary.service.ts";
import { MAX_MESSAGE_LENGTH, splitMessage, truncate } from "../html.ts";
import { chart as ct, workbook as wt } from "../locales/document.vi.ts";
import * as vi from "../locales/vi.ts";

/** Bars in one chart image; larger clusters get several images. */
export const CHART_MAX_BARS = 50;
/** Images at most (500 boards); beyond that the chart shows the leaders and points to the spreadsheet. */
export const CHART_MAX_IMAGES = 10;
/** Longest cluster name in a caption: escaped (up to 6× longer) it stays under Telegram's 1,024. */
const CAPTION_NAME_CHARS = 150;
/** Board names are cut to this in chart labels so the bars keep their room. */
const CHART_LABEL_CHARS = 24;

/** A raw value as people read it: "1.234", "83,6%", the text itself, or "—" when missing. */
export function formatRaw(value: RawValue | undefined, kind: IndicatorKind): string {
  if (value === null || value === undefined) return vi.summary.noValue;
  if (typeof value === "string") return value;
  const n = formatNumberVi(value);
  return kind === "percent" ? vi.summary.percentValue(n) : n;
}

function indicatorMap(s: { indicators: SummaryIndicator[] }): Map<string, SummaryIndicator> {
  return new Map(s.indicators.map((d) => [d.code, d]));
}

/** The bracket after a board's figure: lũy kế, % of plan and ▲▼ against last year when known (HTML). */
function figureNote(s: Summary, board: SummaryBoard, d: SummaryIndicator): string {
  const f = board.figures[d.code];
  if (!f) return "";
  const showYtd = s.scope === "quarter" && f.ytd !== null && s.ytdPeriods.length > 1;
  return vi.summary.figureNote({
    ytd: showYtd ? formatRaw(f.ytd === null ? null : roundFigure(f.ytd, d.kind), d.kind) : null,
    percentOfPlan: f.percentOfPlan,
    lastYearChange: f.lastYearChange,
  });
}

/** One key figure of a board: "1.560 (lũy kế 4.200, 84% KH, ▲12%)" (plain: rankedLine escapes it). */
function keyFigure(s: Summary, board: SummaryBoard, d: SummaryIndicator): string {
  const value = formatRaw(board.values[d.code], d.kind);
  const note = htmlToPlain(figureNote(s, board, d));
  return note ? `${value} (${note})` : value;
}

/** Averages of whole counts are shown with at most 1 decimal; sums stay whole. */
function roundFigure(x: number, kind: IndicatorKind): number {
  return kind === "integer" ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100;
}

/** The chat message as one HTML text, one line per board (split it with summaryMessages). */
export function summaryHtml(s: Summary): string {
  const byCode = indicatorMap(s);
  const keys = s.keyIndicators.map((c) => byCode.get(c)).filter((d): d is SummaryIndicator => !!d);
  const year = s.scope === "year";
  const lines: string[] = [
    year ? vi.summary.yearTitle(s.year, s.ytdPeriods, s.cluster.name) : vi.summary.title(s.ref, s.cluster.name),
  ];
  if (!s.closed) {
    lines.push(year ? vi.summary.yearProvisional : vi.summary.provisional(vi.dateTime(s.deadline, s.cluster.timezone)));
  }
  lines.push(vi.summary.counts(s.counts.submitted, s.counts.total, s.counts.late));
  if (!year) lines.push(vi.summary.compared(s.previousRef));
  else if (s.previousYear !== null) lines.push(vi.summary.comparedYear(s.previousYear));
  if (keys.length > 0 && s.counts.submitted > 0) {
    lines.push(vi.summary.keyLegend(keys));
    const legend = vi.summary.figuresLegend({
      ytdFrom: s.ytdPeriods.length > 1 ? s.ytdPeriods[0]! : null,
      ytdTo: s.ref,
      lastYear: s.lastYearRef,
      plans: s.boards.some((b) => Object.values(b.figures).some((f) => f.percentOfPlan !== null)),
      year,
    });
    if (legend) lines.push(legend);
  }
  lines.push("");

  const ranked = s.boards.filter((b) => b.rank !== null && b.score !== null);
  if (ranked.length === 0) lines.push(vi.summary.nobodySubmitted);
  for (const board of ranked) {
    const figures = keys.map((d) => keyFigure(s, board, d));
    lines.push(
      vi.summary.rankedLine({
        rank: board.rank!,
        shortName: board.shortName,
        score: board.score!,
        rankDelta: board.rankDelta,
        scoreDelta: board.scoreDelta,
        late: !year && board.late,
        record: year ? vi.summary.record(board.record.onTime, s.ytdPeriods.length) : undefined,
        figures,
      }),
    );
  }
  const missingPlans = ranked.filter((b) => b.missingPlans.length > 0);
  if (missingPlans.length > 0) {
    lines.push("", vi.summary.missingPlansTitle);
    for (const board of missingPlans)
      lines.push(
        vi.summary.missingPlansLine(
          board.shortName,
          board.missingPlans.map((c) => byCode.get(c)?.label ?? c),
        ),
      );
  }
  const missing = s.boards.filter((b) => !b.submitted && b.status !== "not_participating");
  if (missing.length > 0) {
    lines.push("", vi.summary.missingTitle(missing.length));
    // a submitted report waiting for its board leader's approval is "chờ duyệt", not "chưa nộp"
    for (const board of missing) {
      lines.push(
        board.awaitingApproval ? vi.approval.pendingLine(board.shortName) : vi.summary.missingLine(board.shortName),
      );
    }
  }
  const outsiders = s.boards.filter((b) => b.status === "not_participating");
  if (outsiders.length > 0) {
    lines.push("", vi.summary.notTakingPartTitle(outsiders.length));
    for (const board of outsiders) lines.push(vi.summary.notTakingPartLine(board.shortName));
  }
  lines.push(
    "",
    year && s.yearBasis
      ? vi.summary.yearMethod(s.method, s.yearBasis, s.year, s.ytdPeriods.length)
      : vi.summary.method(s.method),
  );
  return lines.join("\n");
}

/** The chat message in chunks under Telegram's 4,096 characters, cut only between lines. */
export function summaryMessages(s: Summary, limit = MAX_MESSAGE_LENGTH): string[] {
  return splitMessage(summaryHtml(s), limit);
}

/** Every board's figures, all indicators (the CLI prints this after the ranked list). */
export function summaryDetailsHtml(s: Summary): string {
  const lines: string[] = [vi.summary.details.title];
  for (const board of s.boards) {
    lines.push(
      "",
      vi.summary.details.boardHeader(
        board.shortName,
        board.rank,
        board.score,
        vi.summary.statusText[board.status] ?? "",
      ),
    );
    if (!board.submitted) continue;
    for (const d of s.indicators) {
      lines.push(
        vi.summary.details.valueLine(
          d.label,
          formatRaw(board.values[d.code], d.kind),
          d.unit,
          d.kind === "text" ? "" : figureNote(s, board, d),
        ),
      );
    }
  }
  return lines.join("\n");
}

/** Telegram HTML → plain text: tags dropped, entities decoded (user text was escaped, so no tag is user text). */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** The CLI's text: the ranked summary, then (by default) every board's figures. */
export function summaryPlainText(s: Summary, opts: { details?: boolean } = {}): string {
  const parts = [summaryHtml(s)];
  if (opts.details ?? true) parts.push(summaryDetailsHtml(s));
  return htmlToPlain(parts.join("\n\n"));
}

export function summaryCaptions(s: Summary): {
  photo: string;
  document: string;
  briefing: string;
  fileBase: string;
  briefingBase: string;
} {
  // Cut the name before escaping, so no entity is cut in half; the rest of the caption is short.
  if (s.scope === "year") {
    return {
      photo: vi.summary.yearPhotoCaption(s.year, truncate(s.cluster.name, CAPTION_NAME_CHARS)),
      document: vi.summary.yearDocumentCaption(s.year),
      briefing: vi.summary.yearBriefingCaption(s.year),
      fileBase: vi.summary.yearFileBase(s.cluster.code, s.year),
      briefingBase: vi.summary.yearBriefingBase(s.cluster.code, s.year),
    };
  }
  return {
    photo: vi.summary.photoCaption(s.ref, truncate(s.cluster.name, CAPTION_NAME_CHARS)),
    document: vi.summary.documentCaption(s.ref),
    briefing: vi.summary.briefingCaption(s.ref),
    fileBase: vi.summary.fileBase(s.cluster.code, s.ref),
    briefingBase: vi.summary.briefingBase(s.cluster.code, s.ref),
  };
}

function tone(rank: number | null): BarTone {
  if (rank === null) return "missing";
  return rank === 1 ? "gold" : rank === 2 ? "silver" : rank === 3 ? "bronze" : "normal";
}

/** Splits a list into the fewest parts of at most `size`, sizes differing by at most one (10 by 3 → 3, 3, 2, 2). */
export function evenChunks<T>(list: T[], size: number): T[][] {
  const parts = Math.ceil(list.length / Math.max(1, size));
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const n = Math.floor(list.length / parts) + (i < list.length % parts ? 1 : 0);
    out.push(list.slice(start, start + n));
    start += n;
  }
  return out;
}

/**
 * A board's name as a chart label: whole when it fits a line; else wrapped onto two lines
 * at spaces; else the start and the end with "…" between (the end is where long similar
 * names differ: "Bà Rịa–Vũng Tàu mở rộng 1" and "… mở rộng 2").
 */
export function chartLabel(name: string, width = CHART_LABEL_CHARS): string[] {
  const chars = Array.from(name);
  if (chars.length <= width) return [name];
  const words = name.split(/\s+/).filter(Boolean);
  const first: string[] = [];
  while (words.length > 0 && Array.from([...first, words[0]].join(" ")).length <= width) first.push(words.shift()!);
  const rest = words.join(" ");
  if (first.length > 0 && Array.from(rest).length <= width) return [first.join(" "), rest];
  // Too long for two lines (or one unbroken word): the first line, then "…" and the last characters.
  const line1 = first.length > 0 ? first.join(" ") : chars.slice(0, width).join("");
  const used = Array.from(line1).length;
  const start = Math.max(used, chars.length - (width - 1));
  let tail = chars.slice(start).join("");
  // start the tail at a word when the cut fell inside one ("…Tàu mở rộng 2", not "…g Tàu mở rộng 2")
  const space = tail.indexOf(" ");
  if (chars[start - 1] !== " " && space > 0 && space < tail.length - 1) tail = tail.slice(space + 1);
  return [line1, `…${tail.trimStart()}`];
}

/**
 * What the chart shows: every board, ranked (then those that did not submit), in images
 * of at most `perImage` bars (at most `maxImages` of them; the spreadsheet has the rest),
 * with the source and the date in a footnote.
 */
export function summaryChartInputs(s: Summary, opts: { perImage?: number; maxImages?: number } = {}): BarChartInput[] {
  const perImage = opts.perImage ?? CHART_MAX_BARS;
  const maxImages = opts.maxImages ?? CHART_MAX_IMAGES;
  const shown = s.boards.filter((b) => b.status !== "not_participating").slice(0, perImage * maxImages);
  const pages: BarChartInput[] = [];
  const footnote = ct.footnote(vi.dateTime(s.generatedAt, s.cluster.timezone));
  // Images of even size (60 boards: 30 + 30, not 50 + 10).
  const slices = shown.length === 0 ? [[]] : evenChunks(shown, perImage);
  let from = 0;
  for (const slice of slices) {
    const bars: BarChartBar[] = slice.map((b) => {
      if (b.rank === null || b.score === null) {
        return {
          label: prefixed("– ", chartLabel(b.shortName)),
          value: null,
          valueLabel: vi.summary.chart.missing,
          tone: "missing",
        };
      }
      const score = formatNumberVi(b.score);
      return {
        label: prefixed(`${b.rank}. `, chartLabel(b.shortName)),
        value: b.score,
        valueLabel: b.late ? `${score} (${vi.summary.chart.late})` : score,
        tone: tone(b.rank),
      };
    });
    const subtitle = [truncate(s.cluster.name, 80)];
    const status = [vi.summary.chart.counts(s.counts.submitted, s.counts.total, s.counts.late)];
    if (!s.closed) status.push(vi.summary.chart.provisional);
    subtitle.push(status.join(" · "));
    if (slices.length > 1) {
      subtitle.push(ct.page(pages.length + 1, slices.length, from + 1, from + slice.length, s.boards.length));
    } else if (s.boards.length > shown.length) subtitle.push(vi.summary.chart.top(shown.length, s.boards.length));
    pages.push({
      title: s.scope === "year" ? vi.summary.chart.yearTitle(s.year) : vi.summary.chart.title(s.ref),
      subtitle,
      axisLabel: vi.summary.chart.axis(s.method.maxScore),
      max: s.method.maxScore,
      bars,
      footnote,
    });
    from += slice.length;
  }
  return pages;
}

/** The first image of summaryChartInputs (small clusters have only that one). */
export function summaryChartInput(s: Summary): BarChartInput {
  return summaryChartInputs(s)[0]!;
}

/** "1. " before the first line of a label; one line stays a plain string. */
function prefixed(prefix: string, lines: string[]): string | string[] {
  const out = [`${prefix}${lines[0] ?? ""}`, ...lines.slice(1)];
  return out.length === 1 ? out[0]! : out;
}

/** An instant as the cluster's wall-clock time, for a spreadsheet cell (Excel dates have no zone). */
function wallClock(at: Date, tz: string): Date {
  const p = instantToZonedParts(at, tz);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute));
}

/** The cluster's figure: the sum of counts, the mean of rates (over the boards that submitted). */
export function clusterTotal(boards: SummaryBoard[], d: SummaryIndicator): number | null {
  const values = boards
    .filter((b) => b.submitted)
    .map((b) => b.values[d.code])
    .filter((v): v is number => typeof v === "number");
  if (values.length === 0) return null;
  const sum = values.reduce((s, v) => s + v, 0);
  const total = d.kind === "percent" ? sum / values.length : sum;
  return Math.round(total * 100) / 100;
}

export type FigureKey = "value" | "ytd" | "percentOfPlan" | "lastYear";

/**
 * The sub-columns every indicator gets: the period's value, then lũy kế, % of the annual
 * plan and the same period last year, each only when some board has it (never a column
 * of dashes standing for data the bot does not have).
 */
export function figureColumns(s: Summary): FigureKey[] {
  const numeric = s.indicators.filter((d) => d.kind !== "text");
  const any = (k: FigureKey) => s.boards.some((b) => numeric.some((d) => (b.figures?.[d.code]?.[k] ?? null) !== null));
  const keys: FigureKey[] = ["value"];
  if (s.scope === "quarter" && s.ytdPeriods.length > 1 && any("ytd")) keys.push("ytd");
  if (any("percentOfPlan")) keys.push("percentOfPlan");
  if (any("lastYear")) keys.push("lastYear");
  return keys;
}

/** A board's figure for an indicator: raw values when the summary has no figures for it. */
export function figureOf(s: Summary, b: SummaryBoard, d: SummaryIndicator, key: FigureKey): number | null {
  const f = b.figures?.[d.code];
  if (key === "value") {
    const v = s.scope === "year" ? (f?.ytd ?? f?.value) : (f?.value ?? b.values[d.code]);
    return typeof v === "number" ? v : null;
  }
  return f?.[key] ?? null;
}

/** The cluster's figure: sums (rates: means) over the boards that submitted; % of plan from the sums. */
export function clusterFigure(s: Summary, d: SummaryIndicator, key: FigureKey): number | null {
  const boards = s.boards.filter((b) => b.submitted);
  if (key === "percentOfPlan") {
    let done = 0;
    let plan = 0;
    for (const b of boards) {
      const f = b.figures?.[d.code];
      if (f?.plan == null || f.ytd === null || f.plan <= 0) continue;
      done += f.ytd;
      plan += f.plan;
    }
    return plan > 0 ? Math.round((done / plan) * 1000) / 10 : null;
  }
  if (key === "value" && s.scope === "quarter") return clusterTotal(s.boards, d);
  const values = boards.map((b) => figureOf(s, b, d, key)).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const sum = values.reduce((x, v) => x + v, 0);
  return Math.round((d.kind === "percent" ? sum / values.length : sum) * 100) / 100;
}

/** Numbers as numbers, texts as texts, missing as empty. */
function rawCell(v: RawValue | undefined): CellValue {
  return v === undefined ? null : v;
}

/** The spreadsheet: ranking, raw values, per-indicator points, four-quarter trend, method. */
export function summaryWorkbookSpec(s: Summary): WorkbookSpec {
  const t = vi.summary.xlsx;
  const scored = s.indicators.filter((d) => d.scored);
  const status = (code: string) => t.statusText[code] ?? code;

  // Every sheet: title lines above, STT, no internal codes (those are in the technical sheet).
  const titled = (name: string) => ({
    name,
    numbered: true,
    title: wt.titleLines({
      ref: s.ref,
      sheet: name,
      clusterName: s.cluster.name,
      generated: vi.dateTime(s.generatedAt, s.cluster.timezone),
      provisional: !s.closed,
    }),
  });

  const ranking: SheetSpec = {
    ...titled(t.sheets.ranking),
    freezeColumns: 2,
    columns: [
      { header: t.rank },
      { header: t.shortName },
      { header: t.name },
      { header: t.score, numFmt: "0.00" },
      { header: t.previousRank },
      { header: t.rankDelta, numFmt: "+0;-0;0" },
      { header: t.previousScore, numFmt: "0.00" },
      { header: t.scoreDelta, numFmt: "+0.00;-0.00;0.00" },
      { header: t.status },
      { header: t.submittedAt },
    ],
    rows: s.boards.map((b) => [
      b.rank,
      b.shortName,
      b.name,
      b.score,
      b.previousRank,
      b.rankDelta,
      b.previousScore,
      b.scoreDelta,
      status(b.status),
      b.submittedAt ? wallClock(b.submittedAt, s.cluster.timezone) : null,
    ]),
  };

  const values: SheetSpec = {
    ...titled(t.sheets.values),
    freezeColumns: 1,
    columns: [
      { header: t.shortName },
      { header: t.status },
      ...s.indicators.map((d) => ({
        header: t.valueHeader(d.label, d.unit),
        ...(d.kind === "integer" ? { numFmt: "#,##0" } : d.kind === "text" ? { width: 40 } : {}),
      })),
    ],
    rows: s.boards.map((b) => [b.shortName, status(b.status), ...s.indicators.map((d) => rawCell(b.values[d.code]))]),
    total: [wt.total, null, ...s.indicators.map((d) => (d.kind === "text" ? null : clusterTotal(s.boards, d)))],
  };

  // Lũy kế, % of the annual plan and the same period last year, each only when some board has it.
  const keys = figureColumns(s);
  const numeric = s.indicators.filter((d) => d.kind !== "text");
  const figureName: Record<FigureKey, string> = {
    value: s.scope === "year" ? wt.figures.yearValue : wt.figures.value(s.ref),
    ytd: wt.figures.ytd,
    percentOfPlan: wt.figures.percentOfPlan,
    lastYear: s.scope === "year" ? wt.figures.yearLastYear : wt.figures.lastYear,
  };
  const figureFormat = (d: SummaryIndicator, k: FigureKey) =>
    k === "percentOfPlan" || d.kind !== "integer" ? "0.0" : "#,##0";
  const figureSheet: SheetSpec | null =
    keys.length > 1
      ? {
          ...titled(wt.figures.sheet),
          freezeColumns: 1,
          columns: [
            { header: t.shortName },
            ...numeric.flatMap((d) =>
              keys.map((k) => ({
                header: wt.figures.header(t.valueHeader(d.label, d.unit), figureName[k]),
                numFmt: figureFormat(d, k),
              })),
            ),
          ],
          rows: s.boards
            .filter((b) => b.status !== "not_participating")
            .map((b) => [
              b.shortName,
              ...numeric.flatMap((d) => keys.map((k) => (k === "value" && !b.submitted ? null : figureOf(s, b, d, k)))),
            ]),
          total: [wt.total, ...numeric.flatMap((d) => keys.map((k) => clusterFigure(s, d, k)))],
        }
      : null;

  const points: SheetSpec = {
    ...titled(t.sheets.points),
    freezeColumns: 2,
    columns: [
      { header: t.rank },
      { header: t.shortName },
      ...scored.map((d) => ({ header: t.pointsHeader(d.label, d.weight), numFmt: "0.00" })),
      { header: t.pointsHeader(t.onTime, s.method.onTimeWeight), numFmt: "0.00" },
      { header: t.total, numFmt: "0.00" },
    ],
    rows: s.boards
      .filter((b) => b.submitted)
      .map((b) => [b.rank, b.shortName, ...scored.map((d) => b.points[d.code] ?? 0), b.onTimePoints, b.score]),
  };

  const trend: SheetSpec = {
    ...titled(t.sheets.trend),
    freezeColumns: 1,
    columns: [
      { header: t.shortName },
      ...s.trend.periods.flatMap((ref) => [
        { header: t.trendScore(ref), numFmt: "0.00" },
        { header: t.trendRank(ref) },
      ]),
    ],
    rows: s.trend.rows.map((r) => [r.shortName, ...r.cells.flatMap((c) => [c?.score ?? null, c?.rank ?? null])]),
  };

  const h = t.methodHeaders;
  const method: SheetSpec = {
    ...titled(t.sheets.method),
    numbered: false,
    columns: [
      { header: h.item, width: 48 },
      { header: h.unit },
      { header: h.weight },
      { header: h.better },
      { header: h.basis },
      { header: h.target },
    ],
    rows: [
      ...s.method.indicators.map((m): CellValue[] => [
        m.label,
        s.indicators.find((d) => d.code === m.code)?.unit ?? "",
        m.weight,
        t.better[m.better] ?? m.better,
        t.basis[m.basis] ?? m.basis,
        m.target ?? null,
      ]),
      [t.onTimeRow, null, s.method.onTimeWeight, null, null, null],
      [t.maxRow, null, s.method.maxScore, null, null, null],
    ],
  };

  // The only sheet with internal codes: for whoever links the file to other systems.
  const k = wt.technical;
  const technical: SheetSpec = {
    name: k.sheet,
    columns: [{ header: k.kind }, { header: k.code, width: 16 }, { header: k.name, width: 48 }, { header: k.detail }],
    rows: [
      [k.cluster, s.cluster.code, s.cluster.name, vi.period(s.ref)],
      ...s.boards.map((b): CellValue[] => [k.board, b.code, b.name, b.shortName]),
      ...s.indicators.map((d): CellValue[] => [
        k.indicator,
        d.code,
        t.valueHeader(d.label, d.unit),
        k.kindText[d.kind] ?? d.kind,
      ]),
      [t.generatedRow, null, null, wallClock(s.generatedAt, s.cluster.timezone)],
    ],
  };

  return {
    title: s.scope === "year" ? t.yearTitle(s.year, s.cluster.name) : t.title(s.ref, s.cluster.name),
    created: s.generatedAt,
    sheets: [ranking, values, ...(figureSheet ? [figureSheet] : []), points, trend, method, technical],
  };
}

/** A secretary's view of their board over the last four quarters (/lichsu). */
export function historyHtml(h: BoardHistory): string {
  const t = vi.summary.history;
  const lines = [t.title(h.board.shortName)];
  if (h.periods.length === 0) return [...lines, t.none].join("\n");
  lines.push(t.statesLine(h.periods.map((p) => t.state(p.ref, p.state, p.late))));
  const standings = h.periods.filter((p) => p.standing);
  if (standings.length > 0) {
    lines.push(
      t.standingsLine(standings.map((p) => t.standing(p.ref, p.standing!.rank, p.standing!.ranked, p.standing!.score))),
    );
  }
  if (standings.length < h.periods.length) lines.push(t.standingNote);
  h.indicators.forEach((d, n) => {
    lines.push("", t.indicatorTitle(n + 1, d.label, d.unit));
    lines.push(
      t.valuesLine(
        h.periods.map((p) => ({
          ref: p.ref,
          value: truncate(formatRaw(p.values[d.code], d.kind), d.kind === "text" ? 200 : 40),
        })),
      ),
    );
  });
  return lines.join("\n");
}

/** historyHtml in chunks under Telegram's limit. */
export function historyMessages(h: BoardHistory): string[] {
  return splitMessage(historyHtml(h));
}
