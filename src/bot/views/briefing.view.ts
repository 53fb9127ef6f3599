// The briefing document (Báo cáo tổng hợp) of a ranked summary, as a description for
// render/docx.ts: the situation of reporting, the results table (landscape), one section
// per free-text indicator (highlights, difficulties and proposals), the ranking with its
// method; for a year, each board's reporting record and the year's figures and ranking.
// Only what the summary holds is shown: no column is invented.
import { formatNumberVi } from "../../domain/number.ts";
import { formatPeriodVi } from "../../domain/period.ts";
import { instantToZonedParts } from "../../domain/zoned-time.ts";
import type { DocBlock, DocCell, DocSection, DocTableColumn, PartyDocSpec } from "../../render/docx.ts";
import type { BriefingContext } from "../../services/briefing.service.ts";
import type { Summary, SummaryBoard, SummaryIndicator } from "../../services/summary.service.ts";
import { sectionNumber, briefing as t } from "../locales/document.vi.ts";
import * as vi from "../locales/vi.ts";
import { clusterFigure, evenChunks, type FigureKey, figureColumns, figureOf, htmlToPlain } from "./summary.view.ts";

/** Value columns per results table (a landscape A4 page); more make several tables of even width. */
export const RESULT_COLUMNS_PER_TABLE = 12;

function valueText(v: number | string | null | undefined, d: SummaryIndicator): string {
  if (v === null || v === undefined) return t.results.noValue;
  if (typeof v === "string") return v;
  const n = formatNumberVi(d.kind === "integer" ? Math.round(v) : Math.round(v * 100) / 100);
  return d.kind === "percent" ? t.results.percent(n) : n;
}

const percentText = (p: number | null) => (p === null ? t.results.noValue : t.results.percent(formatNumberVi(p)));

/** The boards the period counts (a board that joined after it opened does not take part). */
const members = (s: Summary) => s.boards.filter((b) => b.status !== "not_participating");

/** How many results tables fit a landscape page: ~150 mm of text height, a table ~45 mm of (wrapped) headers plus ~6 mm a row. */
export function tablesPerPage(rows: number): number {
  return Math.max(1, Math.floor(150 / (45 + rows * 6)));
}

function cellText(d: SummaryIndicator, key: FigureKey, v: number | null): string {
  return key === "percentOfPlan" ? percentText(v) : valueText(v, d);
}

function resultTables(s: Summary): DocBlock[] {
  const numeric = s.indicators.filter((d) => d.kind !== "text");
  const keys = figureColumns(s);
  const f = t.results.figure;
  const subHeader: Record<FigureKey, string> = {
    value: s.scope === "year" ? f.yearValue : f.value(s.ref),
    ytd: f.ytd,
    percentOfPlan: f.percentOfPlan,
    lastYear: s.scope === "year" ? f.yearLastYear : f.lastYear,
  };
  const grouped = keys.length > 1;
  const parts = evenChunks(numeric, Math.max(1, Math.floor(RESULT_COLUMNS_PER_TABLE / keys.length)));
  const rowsCount = members(s).length + 1;
  const blocks: DocBlock[] = [];
  parts.forEach((part, n) => {
    // A table never starts at the foot of a page to be cut after a few rows: as many tables
    // a page as fit (an estimate in mm of landscape text height), the next on a new page.
    if (parts.length > 1) {
      const newPage = n > 0 && n % tablesPerPage(rowsCount) === 0;
      blocks.push({ kind: "subheading", text: t.results.part(n + 1, parts.length), newPage });
    }
    const columns: DocTableColumn[] = [
      { header: t.results.stt, weight: 7, align: "center" },
      { header: t.results.unit, weight: 16, align: "left" },
      ...part.flatMap((d) =>
        keys.map(
          (k): DocTableColumn => ({
            header: grouped ? subHeader[k] : t.results.header(d.label, d.unit),
            weight: grouped ? 9 : 11,
            align: "right",
          }),
        ),
      ),
    ];
    const rows: DocCell[][] = members(s).map((b, i) => [
      String(i + 1),
      b.shortName,
      ...part.flatMap((d) =>
        keys.map((k): DocCell => {
          // figures from earlier quarters (lũy kế, last year) stand even when this quarter is missing
          if (!b.submitted && k === "value") return { text: t.results.missing, italic: true };
          return cellText(d, k, figureOf(s, b, d, k));
        }),
      ),
    ]);
    rows.push(["", t.results.total, ...part.flatMap((d) => keys.map((k) => cellText(d, k, clusterFigure(s, d, k))))]);
    const groups = grouped
      ? [
          { header: t.results.stt, span: 1 },
          { header: t.results.unit, span: 1 },
          ...part.map((d) => ({ header: t.results.header(d.label, d.unit), span: keys.length })),
        ]
      : undefined;
    blocks.push({ kind: "table", columns, rows, totalRow: true, ...(groups ? { groups } : {}) });
  });
  if (s.scope === "year" || keys.length > 1) {
    const text = t.results.figuresNote({
      ytdFrom: keys.includes("ytd") ? (s.ytdPeriods[0] ?? null) : null,
      to: s.ref,
      plan: keys.includes("percentOfPlan"),
      lastYear: keys.includes("lastYear"),
      year: s.scope === "year",
    });
    blocks.push({ kind: "note", text });
  }
  blocks.push({ kind: "note", text: t.results.totalNote });
  return blocks;
}

function situationBlocks(s: Summary): DocBlock[] {
  const tz = s.cluster.timezone;
  const deadline = vi.dateTime(s.deadline, tz);
  const names = (list: SummaryBoard[], f: (b: SummaryBoard) => string = (b) => b.shortName) =>
    list.length === 0 ? t.situation.none : list.map(f).join(", ");
  const boards = members(s);
  if (s.scope === "year") {
    const h = t.situation.recordHeaders;
    const quarters = s.ytdPeriods.map((q) => formatPeriodVi(q)).join(", ");
    const blocks: DocBlock[] = [
      { kind: "paragraph", text: t.situation.yearTotal(boards.length, quarters) },
      {
        kind: "table",
        columns: [
          { header: t.results.stt, weight: 6, align: "center" },
          { header: h.unit, weight: 30, align: "left" },
          { header: h.onTime, weight: 16, align: "center" },
          { header: h.late, weight: 16, align: "center" },
          { header: h.missing, weight: 16, align: "center" },
        ],
        rows: boards.map((b, i) => [
          String(i + 1),
          b.shortName,
          String(b.record.onTime),
          String(b.record.late),
          String(b.record.missing),
        ]),
      },
    ];
    if (!s.closed) blocks.push({ kind: "paragraph", italic: true, text: t.situation.yearProvisional });
    return blocks;
  }
  const onTime = boards.filter((b) => b.submitted && !b.late);
  const late = boards.filter((b) => b.submitted && b.late);
  const missing = boards.filter((b) => !b.submitted);
  const blocks: DocBlock[] = [
    { kind: "paragraph", text: t.situation.total(boards.length, deadline) },
    { kind: "bullet", text: t.situation.onTime(onTime.length, names(onTime)) },
    {
      kind: "bullet",
      text: t.situation.late(
        late.length,
        names(late, (b) =>
          b.submittedAt ? t.situation.lateAt(b.shortName, vi.dateTime(b.submittedAt, tz)) : b.shortName,
        ),
      ),
    },
    { kind: "bullet", text: t.situation.missing(missing.length, names(missing)) },
  ];
  if (!s.closed) blocks.push({ kind: "paragraph", italic: true, text: t.situation.provisional(deadline) });
  return [...blocks, ...keyFigureBlocks(s)];
}

/** The cluster's totals of the key indicators, in words (what the briefing opens with). */
function keyFigureBlocks(s: Summary): DocBlock[] {
  if (s.counts.submitted === 0) return [];
  const keys = figureColumns(s);
  const byCode = new Map(s.indicators.map((d) => [d.code, d]));
  const lines = s.keyIndicators
    .map((code) => byCode.get(code))
    .filter((d): d is SummaryIndicator => d !== undefined && d.kind !== "text")
    .map((d) => {
      const figure = (k: FigureKey) => {
        if (!keys.includes(k)) return null;
        const v = clusterFigure(s, d, k);
        if (v === null) return null;
        return k === "percentOfPlan"
          ? percentText(v)
          : t.situation.withUnit(valueText(v, d), d.kind === "percent" ? "" : d.unit);
      };
      return t.situation.keyLine({
        label: d.label,
        value: figure("value") ?? t.results.noValue,
        ytd: figure("ytd"),
        plan: figure("percentOfPlan"),
        lastYear: figure("lastYear"),
      });
    });
  if (lines.length === 0) return [];
  return [
    { kind: "paragraph", text: t.situation.keyTitle },
    ...lines.map((text): DocBlock => ({ kind: "bullet", text })),
  ];
}

/** A section of free-text answers, board by board (each board's answers in the indicators' order). */
function textSection(s: Summary, title: string, ds: SummaryIndicator[], n: number): DocBlock[] {
  const entries = members(s)
    .filter((b) => b.submitted)
    .flatMap((b) => ds.map((d) => ({ board: b, text: b.values[d.code] })))
    .filter((e): e is { board: SummaryBoard; text: string } => typeof e.text === "string" && e.text.trim() !== "");
  const blocks: DocBlock[] = [{ kind: "heading", text: `${sectionNumber(n)}. ${title.toUpperCase()}` }];
  if (entries.length === 0) blocks.push({ kind: "paragraph", text: t.texts.nobody });
  for (const e of entries) blocks.push({ kind: "bullet", lead: e.board.shortName, text: e.text.trim() });
  return blocks;
}

function rankingBlocks(s: Summary, n: number): DocBlock[] {
  const r = t.ranking;
  const year = s.scope === "year";
  const blocks: DocBlock[] = [{ kind: "heading", text: `${sectionNumber(n)}. ${r.heading}` }];
  if (s.counts.submitted === 0) {
    blocks.push({ kind: "paragraph", text: r.nobody });
  } else {
    const move = (b: SummaryBoard) =>
      b.rankDelta === null
        ? r.notRanked
        : b.rankDelta > 0
          ? r.up(b.rankDelta)
          : b.rankDelta < 0
            ? r.down(-b.rankDelta)
            : r.same;
    const compare = s.previousRef !== null || s.previousYear !== null;
    const columns: DocTableColumn[] = [
      { header: r.rank, weight: 8, align: "center" },
      { header: r.unit, weight: 30, align: "left" },
      { header: r.score, weight: 14, align: "right" },
      ...(compare
        ? [
            {
              header: s.previousYear !== null ? r.previousYear(s.previousYear) : r.previous(s.previousRef),
              weight: 20,
              align: "center",
            } as const,
          ]
        : []),
      { header: r.status, weight: 18, align: "center" },
    ];
    blocks.push({
      kind: "table",
      columns,
      rows: members(s).map((b) => [
        b.rank === null ? r.notRanked : String(b.rank),
        b.shortName,
        b.score === null ? r.notRanked : r.scoreValue(b.score),
        ...(compare ? [move(b)] : []),
        year ? r.record(b.record.onTime, s.ytdPeriods.length) : (r.statusText[b.status] ?? b.status),
      ]),
    });
  }
  // The chat's method note, as plain words (its leading sign and "Cách tính…:" dropped).
  const note =
    year && s.yearBasis
      ? vi.summary.yearMethod(s.method, s.yearBasis, s.year, s.ytdPeriods.length)
      : vi.summary.method(s.method);
  const method = htmlToPlain(note).replace(/^\S+\s+Cách tính[^:]*:\s*/u, "");
  blocks.push({ kind: "paragraph", text: `${r.method} ${method}` });
  return blocks;
}

/**
 * The free-text sections in the order their first indicator is asked: the indicators the
 * cluster file maps to a section (`section:`) share it; the others keep a section of their own, titled by their label.
 */
function textSections(texts: SummaryIndicator[]): { title: string; indicators: SummaryIndicator[] }[] {
  const out: { title: string; indicators: SummaryIndicator[] }[] = [];
  const shared = new Map<string, SummaryIndicator[]>();
  for (const d of texts) {
    if (d.section === null) {
      out.push({ title: d.label, indicators: [d] });
      continue;
    }
    const list = shared.get(d.section);
    if (list) list.push(d);
    else {
      const indicators = [d];
      shared.set(d.section, indicators);
      out.push({ title: t.texts.sections[d.section], indicators });
    }
  }
  return out;
}

/** The document of a quarter's or a year's summary. */
export function briefingDocSpec(s: Summary, ctx: BriefingContext): PartyDocSpec {
  const d = instantToZonedParts(s.generatedAt, s.cluster.timezone);
  const year = s.scope === "year";
  // A year's notes belong to its quarters' documents: the year's document has no text sections.
  const texts = year ? [] : s.indicators.filter((i) => i.kind === "text");
  let n = 1;
  const first: DocSection = {
    blocks: [{ kind: "heading", text: `${sectionNumber(n++)}. ${t.situation.heading}` }, ...situationBlocks(s)],
  };
  const table: DocSection = {
    landscape: true,
    blocks: [
      { kind: "heading", text: `${sectionNumber(n++)}. ${t.results.heading}` },
      { kind: "paragraph", text: year ? t.results.yearIntro(s.year) : t.results.intro(s.ref) },
      ...resultTables(s),
    ],
  };
  const closing: DocSection = {
    blocks: [
      ...textSections(texts).flatMap((x) => textSection(s, x.title, x.indicators, n++)),
      ...rankingBlocks(s, n++),
    ],
  };
  const chairBoard = ctx.chair.boardName;
  return {
    title: year ? t.yearFileTitle(s.year, s.cluster.name) : t.fileTitle(s.ref, s.cluster.name),
    created: s.generatedAt,
    superior: chairBoard ? s.cluster.name : null,
    issuer: chairBoard ?? s.cluster.name,
    number: t.number,
    placeDate: t.placeDate(s.cluster.place ?? t.placeUnknown, d.day, d.month, d.year),
    kind: t.kind,
    subject: year ? t.yearSubject(s.year) : t.subject(s.ref),
    sections: [first, table, closing],
    signature: {
      authority: t.signature.authority,
      position: ctx.signer?.position ?? t.signature.chairPosition,
      name: ctx.signer?.name ?? ctx.chair.personName ?? t.signature.nameUnknown,
    },
    recipientsTitle: t.recipientsTitle,
    recipients: [...t.recipients],
  };
}
