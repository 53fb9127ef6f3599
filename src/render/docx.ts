// A Party document (văn bản của Đảng) as an editable DOCX, from a plain description:
// the header, the title, sections of headings, paragraphs and tables (wide tables in a
// landscape section), the signature block and the recipients. Every string is plain
// text; the docx package escapes XML, and xmlText() removes what XML 1.0 cannot carry.
//
// Format: Hướng dẫn 36-HD/VPTW (Văn phòng Trung ương Đảng, 03/4/2018) "về thể thức và
// kỹ thuật trình bày văn bản của Đảng":
// - A4 paper (210 × 297 mm); margins: top 25 mm (20–25), bottom 25 mm (20–25), left
//   35 mm (30–35), right 15 mm (15–20); Times New Roman (Unicode, TCVN 6909:2001).
// - Page numbers from the second page on, Arabic numerals, centred in the top margin.
// - Phụ lục 3 (font sizes and styles): "ĐẢNG CỘNG SẢN VIỆT NAM" upper case 15 bold,
//   underlined by a line as long as itself (ô số 1); the superior body upper case 14;
//   the issuing body upper case 14 bold; the number "Số …-BC/…" 14; place and date 14
//   italic; the document kind ("BÁO CÁO") upper case 15–16 bold; its subject 14–15 bold;
//   the body 14–15; "T/M …" and the signer's position upper case 14 bold; the signer's
//   name 14 bold; "Nơi nhận:" 14 underlined; the recipients 12.
// - Tables and annexes may be laid out across the page (landscape).
import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Header,
  HeightRule,
  type ISectionOptions,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  UnderlineType,
  VerticalAlign,
  WidthType,
} from "docx";

export const DOC_FONT = "Times New Roman";
/** 36-HD/VPTW margins, mm */
export const MARGINS_MM = { top: 25, bottom: 25, left: 35, right: 15 } as const;
const A4_MM = { width: 210, height: 297 } as const;
/** half-points: the sizes of Phụ lục 3 */
const SIZE = { party: 30, org: 28, body: 28, kind: 32, subject: 28, table: 22, recipients: 24, pageNumber: 28 };

export interface DocTableColumn {
  header: string;
  /** relative width (the table fills the text width) */
  weight: number;
  align?: "left" | "center" | "right";
}

/** A header row that spans several columns (e.g. one indicator over kỳ này, lũy kế, …). */
export interface DocTableGroup {
  header: string;
  span: number;
}

export type DocCell = string | { text: string; bold?: boolean; italic?: boolean };

export type DocBlock =
  | { kind: "heading"; text: string }
  | { kind: "subheading"; text: string; newPage?: boolean }
  | { kind: "paragraph"; text: string; italic?: boolean; bold?: boolean }
  | { kind: "bullet"; lead?: string; text: string }
  | { kind: "table"; columns: DocTableColumn[]; groups?: DocTableGroup[]; rows: DocCell[][]; totalRow?: boolean }
  | { kind: "note"; text: string };

export interface DocSection {
  landscape?: boolean;
  blocks: DocBlock[];
}

export interface PartyDocSpec {
  title: string;
  created: Date;
  /** upper header lines, left: the superior body (upper case 14), then the issuing body (14 bold) */
  superior: string | null;
  issuer: string;
  /** "Số …-BC/…" */
  number: string;
  /** "Hà Nội, ngày 09 tháng 10 năm 2026" */
  placeDate: string;
  /** "BÁO CÁO" */
  kind: string;
  /** the subject lines under the kind */
  subject: string[];
  sections: DocSection[];
  signature: { authority: string; position: string; name: string };
  recipientsTitle: string;
  recipients: string[];
}

/** XML 1.0 allows TAB, LF, CR and U+0020 up, except lone surrogates and U+FFFE/U+FFFF. */
function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // `for…of` yields a lone surrogate on its own
  return cp !== 0xfffe && cp !== 0xffff;
}

/** Text that can go into an XML text node: invalid characters dropped, CR/tabs as spaces. */
export function xmlText(s: string): string {
  let out = "";
  for (const ch of s) if (isXmlChar(ch.codePointAt(0)!)) out += ch;
  return out.replace(/\r\n?/g, "\n").replace(/\t/g, " ");
}

interface RunStyle {
  size: number;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** Runs for a text with line breaks kept (a note typed on several lines stays on several lines). */
function runs(text: string, style: RunStyle): TextRun[] {
  return xmlText(text)
    .split("\n")
    .map(
      (line, i) =>
        new TextRun({
          text: line,
          font: DOC_FONT,
          size: style.size,
          bold: style.bold ?? false,
          italics: style.italic ?? false,
          ...(style.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
          break: i > 0 ? 1 : 0,
        }),
    );
}

function centered(text: string, style: RunStyle, after = 0): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after }, children: runs(text, style) });
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" } as const;
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
};
const LINE = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const LINES = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

/** Text width of a section in twips. */
function textWidth(landscape: boolean): number {
  const pageWidth = landscape ? A4_MM.height : A4_MM.width;
  return convertMillimetersToTwip(pageWidth - MARGINS_MM.left - MARGINS_MM.right);
}

function layoutCell(children: Paragraph[], widthTwips: number): TableCell {
  return new TableCell({
    children,
    width: { size: widthTwips, type: WidthType.DXA },
    borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
  });
}

/** The two-column header of the first page (ô số 1–4 of Phụ lục 1). */
function headerBlock(spec: PartyDocSpec): Table {
  const width = textWidth(false);
  const left = Math.round(width * 0.46);
  const right = width - left;
  const leftParas: Paragraph[] = [];
  if (spec.superior) leftParas.push(centered(spec.superior.toUpperCase(), { size: SIZE.org }));
  leftParas.push(centered(spec.issuer.toUpperCase(), { size: SIZE.org, bold: true }));
  leftParas.push(centered("*", { size: SIZE.org }));
  leftParas.push(centered(spec.number, { size: SIZE.org }));
  const rightParas = [
    centered("ĐẢNG CỘNG SẢN VIỆT NAM", { size: SIZE.party, bold: true, underline: true }, 240),
    centered(spec.placeDate, { size: SIZE.org, italic: true }),
  ];
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: width, type: WidthType.DXA },
    columnWidths: [left, right],
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [layoutCell(leftParas, left), layoutCell(rightParas, right)] })],
  });
}

function titleBlock(spec: PartyDocSpec): Paragraph[] {
  return [
    new Paragraph({ spacing: { before: 360 }, children: [] }),
    centered(spec.kind.toUpperCase(), { size: SIZE.kind, bold: true }),
    ...spec.subject.map((line) => centered(line, { size: SIZE.subject, bold: true })),
    centered("-----", { size: SIZE.body }, 240),
  ];
}

const BODY_PARAGRAPH = {
  alignment: AlignmentType.JUSTIFIED,
  indent: { firstLine: convertMillimetersToTwip(12.7) },
  spacing: { before: 0, after: 120, line: 300 },
} as const;

function cellParagraph(cell: DocCell, align: DocTableColumn["align"], bold: boolean): Paragraph {
  const c = typeof cell === "string" ? { text: cell } : cell;
  return new Paragraph({
    alignment: align === "right" ? AlignmentType.RIGHT : align === "center" ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { before: 20, after: 20 },
    children: runs(c.text, { size: SIZE.table, bold: bold || (c.bold ?? false), italic: c.italic ?? false }),
  });
}

function dataTable(block: Extract<DocBlock, { kind: "table" }>, landscape: boolean): Table {
  const width = textWidth(landscape);
  const totalWeight = block.columns.reduce((s, c) => s + c.weight, 0) || 1;
  const widths = block.columns.map((c) => Math.floor((width * c.weight) / totalWeight));
  const margins = { top: 40, bottom: 40, left: 70, right: 70 };
  const headerCell = (text: string, w: number, span = 1, rowSpan = 1) =>
    new TableCell({
      children: [cellParagraph(text, "center", true)],
      width: { size: w, type: WidthType.DXA },
      columnSpan: span,
      rowSpan,
      verticalAlign: VerticalAlign.CENTER,
      margins,
    });
  const headerRows: TableRow[] = [];
  if (block.groups && block.groups.length > 0) {
    // Two header rows: plain columns span both; each group spans its sub-columns.
    const top: TableCell[] = [];
    let col = 0;
    for (const g of block.groups) {
      if (g.span === 1 && col < block.columns.length) {
        top.push(headerCell(block.columns[col]!.header, widths[col]!, 1, 2));
      } else {
        const w = widths.slice(col, col + g.span).reduce((s, x) => s + x, 0);
        top.push(headerCell(g.header, w, g.span));
      }
      col += g.span;
    }
    headerRows.push(new TableRow({ tableHeader: true, cantSplit: true, children: top }));
    const sub: TableCell[] = [];
    col = 0;
    for (const g of block.groups) {
      if (g.span > 1)
        for (let i = 0; i < g.span; i++) sub.push(headerCell(block.columns[col + i]!.header, widths[col + i]!));
      col += g.span;
    }
    headerRows.push(new TableRow({ tableHeader: true, cantSplit: true, children: sub }));
  } else {
    headerRows.push(
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: block.columns.map((c, i) => headerCell(c.header, widths[i]!)),
      }),
    );
  }
  const bodyRows = block.rows.map(
    (row, r) =>
      new TableRow({
        cantSplit: true,
        height: { value: 300, rule: HeightRule.ATLEAST },
        children: block.columns.map(
          (c, i) =>
            new TableCell({
              children: [cellParagraph(row[i] ?? "", c.align, block.totalRow === true && r === block.rows.length - 1)],
              width: { size: widths[i]!, type: WidthType.DXA },
              verticalAlign: VerticalAlign.CENTER,
              margins,
            }),
        ),
      }),
  );
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    borders: LINES,
    rows: [...headerRows, ...bodyRows],
  });
}

function blockChildren(block: DocBlock, landscape: boolean): (Paragraph | Table)[] {
  switch (block.kind) {
    case "heading":
      return [
        new Paragraph({
          keepNext: true,
          spacing: { before: 180, after: 120 },
          children: runs(block.text, { size: SIZE.body, bold: true }),
        }),
      ];
    case "subheading":
      return [
        new Paragraph({
          ...BODY_PARAGRAPH,
          keepNext: true,
          pageBreakBefore: block.newPage ?? false,
          children: runs(block.text, { size: SIZE.body, bold: true, italic: true }),
        }),
      ];
    case "paragraph":
      return [
        new Paragraph({
          ...BODY_PARAGRAPH,
          children: runs(block.text, { size: SIZE.body, bold: block.bold ?? false, italic: block.italic ?? false }),
        }),
      ];
    case "bullet": {
      const children: ParagraphChild[] = [];
      if (block.lead) children.push(...runs(`- ${block.lead}: `, { size: SIZE.body, bold: true }));
      children.push(...runs(block.lead ? block.text : `- ${block.text}`, { size: SIZE.body }));
      return [new Paragraph({ ...BODY_PARAGRAPH, children })];
    }
    case "note":
      return [
        new Paragraph({
          spacing: { before: 60, after: 120 },
          children: runs(block.text, { size: SIZE.table, italic: true }),
        }),
      ];
    case "table":
      return [dataTable(block, landscape), new Paragraph({ spacing: { after: 60 }, children: [] })];
  }
}

/** The closing: recipients on the left (12), the signature block on the right (14 bold). */
function closingBlock(spec: PartyDocSpec, landscape: boolean): Table {
  const width = textWidth(landscape);
  const left = Math.round(width * 0.48);
  const right = width - left;
  const leftParas = [
    new Paragraph({ children: runs(spec.recipientsTitle, { size: SIZE.org, underline: true }) }),
    ...spec.recipients.map((r) => new Paragraph({ children: runs(`- ${r}`, { size: SIZE.recipients }) })),
  ];
  const rightParas = [
    centered(spec.signature.authority.toUpperCase(), { size: SIZE.org, bold: true }),
    centered(spec.signature.position.toUpperCase(), { size: SIZE.org, bold: true }, 1560),
    centered(spec.signature.name, { size: SIZE.org, bold: true }),
  ];
  return new Table({
    layout: TableLayoutType.FIXED,
    width: { size: width, type: WidthType.DXA },
    columnWidths: [left, right],
    borders: NO_BORDERS,
    rows: [new TableRow({ cantSplit: true, children: [layoutCell(leftParas, left), layoutCell(rightParas, right)] })],
  });
}

const pageNumberHeader = () =>
  new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: [PageNumber.CURRENT], font: DOC_FONT, size: SIZE.pageNumber })],
      }),
    ],
  });

function sectionProperties(landscape: boolean): ISectionOptions["properties"] {
  return {
    page: {
      size: {
        width: convertMillimetersToTwip(A4_MM.width),
        height: convertMillimetersToTwip(A4_MM.height),
        orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
      },
      margin: {
        top: convertMillimetersToTwip(MARGINS_MM.top),
        bottom: convertMillimetersToTwip(MARGINS_MM.bottom),
        left: convertMillimetersToTwip(MARGINS_MM.left),
        right: convertMillimetersToTwip(MARGINS_MM.right),
        // the page number sits 10 mm below the top edge
        header: convertMillimetersToTwip(10),
        footer: convertMillimetersToTwip(10),
      },
    },
  };
}

/** Builds the document and returns the .docx bytes. */
export async function renderPartyDocument(spec: PartyDocSpec): Promise<Buffer> {
  const sections: ISectionOptions[] = spec.sections.map((s, i) => {
    const landscape = s.landscape ?? false;
    const children: (Paragraph | Table)[] = [];
    if (i === 0) children.push(headerBlock(spec), ...titleBlock(spec));
    for (const block of s.blocks) children.push(...blockChildren(block, landscape));
    if (i === spec.sections.length - 1) {
      children.push(new Paragraph({ spacing: { after: 240 }, children: [] }), closingBlock(spec, landscape));
    }
    return {
      properties: { ...sectionProperties(landscape), ...(i === 0 ? { titlePage: true } : {}) },
      // No number on the first page (titlePage), numbers on every later page.
      headers: { default: pageNumberHeader(), ...(i === 0 ? { first: new Header({ children: [] }) } : {}) },
      children,
    };
  });
  if (sections.length === 0) throw new Error("a document needs at least one section");
  const doc = new Document({
    creator: "cum-thi-dua-bot",
    title: xmlText(spec.title),
    description: xmlText(spec.title),
    styles: { default: { document: { run: { font: DOC_FONT, size: SIZE.body } } } },
    sections,
  });
  return Packer.toBuffer(doc);
}
