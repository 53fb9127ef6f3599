// The briefing document (Báo cáo tổng hợp) of a ranked summary, as a description for
// render/docx.ts: the situation of reporting, the results table (landscape), one section
// per free-text indicator (highlights, difficulties and proposals), the ranking with its
// method. Only what the summary holds is shown: no column is invented.
import { formatNumberVi } from "../../domain/number.ts";
import { instantToZonedParts } from "../../domain/zoned-time.ts";
import type { DocBlock, DocCell, DocSection, DocTableColumn, PartyDocSpec } from "../../render/docx.ts";
import type { BriefingContext } from "../../services/briefing.service.ts";
import type { Summary, SummaryBoard, SummaryIndicator } from "../../services/summary.service.ts";
import { sectionNumber, briefing as t } from "../locales/document.vi.ts";
import * as vi from "../locales/vi.ts";
import { clusterTotal, htmlToPlain } from "./summary.view.ts";

/** Indicator columns per results table (a landscape A4 page); more make several tables of even width. */
export const RESULT_COLUMNS_PER_TABLE = 10;

function valueText(v: number | string | null | undefined, d: SummaryIndicator): string {
  if (v === null || v === undefined) return t.results.noValue;
  if (typeof v === "string") return v;
  const n = formatNumberVi(v);
  return d.kind === "percent" ? t.results.percent(n) : n;
}

/** Splits a list into the fewest parts of at most `size`, as even as possible (12 by 10 → 6 + 6). */
export function evenChunks<T>(list: T[], size: number): T[][] {
  const parts = Math.max(1, Math.ceil(list.length / size));
  const each = Math.ceil(list.length / parts);
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += each) out.push(list.slice(i, i + each));
  return out;
}

function resultTables(s: Summary): DocBlock[] {
  const numeric = s.indicators.filter((d) => d.kind !== "text");
  const parts = evenChunks(numeric, RESULT_COLUMNS_PER_TABLE);
  const blocks: DocBlock[] = [];
  parts.forEach((part, n) => {
    if (parts.length > 1) blocks.push({ kind: "subheading", text: t.results.part(n + 1, parts.length) });
    const columns: DocTableColumn[] = [
      { header: t.results.stt, weight: 5, align: "center" },
      { header: t.results.unit, weight: 16, align: "left" },
      ...part.map((d): DocTableColumn => ({ header: t.results.header(d.label, d.unit), weight: 11, align: "right" })),
    ];
    const rows: DocCell[][] = s.boards.map((b, i) => [
      String(i + 1),
      b.shortName,
      ...part.map((d) => (b.submitted ? valueText(b.values[d.code], d) : { text: t.results.missing, italic: true })),
    ]);
    rows.push(["", t.results.total, ...part.map((d) => valueText(clusterTotal(s.boards, d), d))]);
    blocks.push({ kind: "table", columns, rows, totalRow: true });
  });
  blocks.push({ kind: "note", text: t.results.totalNote });
  return blocks;
}

function situationBlocks(s: Summary): DocBlock[] {
  const tz = s.cluster.timezone;
  const deadline = vi.dateTime(s.deadline, tz);
  const names = (list: SummaryBoard[], f: (b: SummaryBoard) => string = (b) => b.shortName) =>
    list.length === 0 ? t.situation.none : list.map(f).join(", ");
  const onTime = s.boards.filter((b) => b.submitted && !b.late);
  const late = s.boards.filter((b) => b.submitted && b.late);
  const missing = s.boards.filter((b) => !b.submitted);
  const blocks: DocBlock[] = [
    { kind: "paragraph", text: t.situation.total(s.counts.total, deadline) },
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
  return blocks;
}

function textSection(s: Summary, d: SummaryIndicator, n: number): DocBlock[] {
  const entries = s.boards
    .filter((b) => b.submitted)
    .map((b) => ({ board: b, text: b.values[d.code] }))
    .filter((e): e is { board: SummaryBoard; text: string } => typeof e.text === "string" && e.text.trim() !== "");
  const blocks: DocBlock[] = [{ kind: "heading", text: `${sectionNumber(n)}. ${d.label.toUpperCase()}` }];
  if (entries.length === 0) blocks.push({ kind: "paragraph", text: t.texts.nobody });
  for (const e of entries) blocks.push({ kind: "bullet", lead: e.board.shortName, text: e.text.trim() });
  return blocks;
}

function rankingBlocks(s: Summary, n: number): DocBlock[] {
  const r = t.ranking;
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
    blocks.push({
      kind: "table",
      columns: [
        { header: r.rank, weight: 8, align: "center" },
        { header: r.unit, weight: 30, align: "left" },
        { header: r.score, weight: 14, align: "right" },
        { header: r.previous(s.previousRef), weight: 20, align: "center" },
        { header: r.status, weight: 18, align: "center" },
      ],
      rows: s.boards.map((b) => [
        b.rank === null ? r.notRanked : String(b.rank),
        b.shortName,
        b.score === null ? r.notRanked : r.scoreValue(b.score),
        move(b),
        r.statusText[b.status] ?? b.status,
      ]),
    });
  }
  // The chat's method note, as plain words (its leading sign dropped).
  const method = htmlToPlain(vi.summary.method(s.method)).replace(/^\S+\s+Cách tính:\s*/u, "");
  blocks.push({ kind: "paragraph", text: `${r.method} ${method}` });
  return blocks;
}

/** The document of one quarter's summary. */
export function briefingDocSpec(s: Summary, ctx: BriefingContext): PartyDocSpec {
  const d = instantToZonedParts(s.generatedAt, s.cluster.timezone);
  const texts = s.indicators.filter((i) => i.kind === "text");
  let n = 1;
  const first: DocSection = {
    blocks: [{ kind: "heading", text: `${sectionNumber(n++)}. ${t.situation.heading}` }, ...situationBlocks(s)],
  };
  const table: DocSection = {
    landscape: true,
    blocks: [
      { kind: "heading", text: `${sectionNumber(n++)}. ${t.results.heading}` },
      { kind: "paragraph", text: t.results.intro(s.ref) },
      ...resultTables(s),
    ],
  };
  const closing: DocSection = {
    blocks: [...texts.flatMap((i) => textSection(s, i, n++)), ...rankingBlocks(s, n++)],
  };
  const chairBoard = ctx.chair.boardName;
  return {
    title: t.fileTitle(s.ref, s.cluster.name),
    created: s.generatedAt,
    superior: chairBoard ? s.cluster.name : null,
    issuer: chairBoard ?? s.cluster.name,
    number: t.number,
    placeDate: t.placeDate(t.placeUnknown, d.day, d.month, d.year),
    kind: t.kind,
    subject: t.subject(s.ref),
    sections: [first, table, closing],
    signature: {
      authority: t.signature.authority,
      position: t.signature.positionUnknown,
      name: ctx.chair.personName ?? t.signature.nameUnknown,
    },
    recipientsTitle: t.recipientsTitle,
    recipients: [...t.recipients],
  };
}
