// A Party document (văn bản của Đảng) as an editable DOCX, from a plain description:
// the header, the title, sections of headings, paragraphs and tables (wide tables in a
// landscape section), the signature block and the recipients. Every string is plain
// text, escaped here; xmlText() removes what XML 1.0 cannot carry.
//
// The WordprocessingML is written here directly as strings and zipped by ./zip.ts, as
// ./xlsx.ts does: the docx package built an object per element and took ~10 s and
// 0.5–1 GB of heap for a 1,000-board cluster's document (~41,000 table cells), more than
// the bot's heap (a 200-board document did not fit in 128 MB). Run properties the
// defaults already give (Times New Roman 14, not bold, not italic) are not repeated per
// run, and the cell margins are the table's, not each cell's.
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
import { type ZipPart, zipParts } from "./zip.ts";

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

/** The run size every run has unless it says otherwise (styles.xml's default). */
const DEFAULT_SIZE = SIZE.body;

/** Escapes text for an XML text node or a double-quoted attribute (after xmlText). */
function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/** mm → twips, rounded down (as Word's own conversion and the docx package did). */
function twips(mm: number): number {
  return Math.floor((mm / 25.4) * 1440);
}

function runProperties(style: RunStyle): string {
  let rPr = "";
  if (style.bold) rPr += "<w:b/><w:bCs/>";
  if (style.italic) rPr += "<w:i/><w:iCs/>";
  if (style.size !== DEFAULT_SIZE) rPr += `<w:sz w:val="${style.size}"/><w:szCs w:val="${style.size}"/>`;
  if (style.underline) rPr += '<w:u w:val="single"/>';
  return rPr ? `<w:rPr>${rPr}</w:rPr>` : "";
}

/** A run for a text with line breaks kept (a note typed on several lines stays on several lines). */
function runs(text: string, style: RunStyle): string {
  const lines = xmlText(text)
    .split("\n")
    .map((line) => `<w:t xml:space="preserve">${esc(line)}</w:t>`);
  return `<w:r>${runProperties(style)}${lines.join("<w:br/>")}</w:r>`;
}

type Align = "left" | "center" | "right" | "both";

interface ParagraphOptions {
  align?: Align;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  spacing?: { before?: number; after?: number; line?: number };
  firstLine?: number;
}

function paragraphProperties(o: ParagraphOptions): string {
  let pPr = "";
  if (o.keepNext) pPr += "<w:keepNext/>";
  if (o.pageBreakBefore) pPr += "<w:pageBreakBefore/>";
  if (o.spacing) {
    const { before, after, line } = o.spacing;
    pPr += `<w:spacing${before === undefined ? "" : ` w:before="${before}"`}${after === undefined ? "" : ` w:after="${after}"`}${line === undefined ? "" : ` w:line="${line}" w:lineRule="auto"`}/>`;
  }
  if (o.firstLine !== undefined) pPr += `<w:ind w:firstLine="${o.firstLine}"/>`;
  if (o.align && o.align !== "left") pPr += `<w:jc w:val="${o.align}"/>`;
  return pPr;
}

/** A paragraph of the body: its properties kept apart, so a section's properties can join its last one. */
interface Para {
  pPr: string;
  content: string;
}
type Element = Para | { xml: string };

const para = (o: ParagraphOptions, content = ""): Para => ({ pPr: paragraphProperties(o), content });
const paraXml = (p: Para, extra = "") =>
  `<w:p>${p.pPr || extra ? `<w:pPr>${p.pPr}${extra}</w:pPr>` : ""}${p.content}</w:p>`;
const elementXml = (e: Element) => ("xml" in e ? e.xml : paraXml(e));

function centered(text: string, style: RunStyle, after = 0): Para {
  return para({ align: "center", spacing: { after } }, runs(text, style));
}

const NO_BORDERS = ["top", "left", "bottom", "right", "insideH", "insideV"]
  .map((side) => `<w:${side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>`)
  .join("");
const LINES = ["top", "left", "bottom", "right", "insideH", "insideV"]
  .map((side) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
  .join("");

/** Text width of a section in twips. */
function textWidth(landscape: boolean): number {
  const pageWidth = landscape ? A4_MM.height : A4_MM.width;
  return twips(pageWidth - MARGINS_MM.left - MARGINS_MM.right);
}

function table(widths: number[], borders: string, rows: string, cellMargins = ""): string {
  const width = widths.reduce((a, b) => a + b, 0);
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${width}" w:type="dxa"/><w:tblBorders>${borders}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/>${cellMargins}</w:tblPr>` +
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join("")}</w:tblGrid>${rows}</w:tbl>`
  );
}

/** A borderless two-column layout table (the first page's header, the closing). */
function layoutTable(width: number, leftShare: number, left: Para[], right: Para[], cantSplit = false): string {
  const l = Math.round(width * leftShare);
  const r = width - l;
  const cell = (w: number, paras: Para[]) =>
    `<w:tc><w:tcPr><w:tcW w:w="${w}" w:type="dxa"/></w:tcPr>${paras.map((p) => paraXml(p)).join("")}</w:tc>`;
  const trPr = cantSplit ? "<w:trPr><w:cantSplit/></w:trPr>" : "";
  return table([l, r], NO_BORDERS, `<w:tr>${trPr}${cell(l, left)}${cell(r, right)}</w:tr>`);
}

/** The two-column header of the first page (ô số 1–4 of Phụ lục 1). */
function headerBlock(spec: PartyDocSpec): string {
  const left: Para[] = [];
  if (spec.superior) left.push(centered(spec.superior.toUpperCase(), { size: SIZE.org }));
  left.push(centered(spec.issuer.toUpperCase(), { size: SIZE.org, bold: true }));
  left.push(centered("*", { size: SIZE.org }));
  left.push(centered(spec.number, { size: SIZE.org }));
  const right = [
    centered("ĐẢNG CỘNG SẢN VIỆT NAM", { size: SIZE.party, bold: true, underline: true }, 240),
    centered(spec.placeDate, { size: SIZE.org, italic: true }),
  ];
  return layoutTable(textWidth(false), 0.46, left, right);
}

function titleBlock(spec: PartyDocSpec): Para[] {
  return [
    para({ spacing: { before: 360 } }),
    centered(spec.kind.toUpperCase(), { size: SIZE.kind, bold: true }),
    ...spec.subject.map((line) => centered(line, { size: SIZE.subject, bold: true })),
    centered("-----", { size: SIZE.body }, 240),
  ];
}

const BODY_PARAGRAPH: ParagraphOptions = {
  align: "both",
  firstLine: twips(12.7),
  spacing: { before: 0, after: 120, line: 300 },
};

const CELL_SPACING = paragraphProperties({ spacing: { before: 20, after: 20 } });
const CELL_ALIGN: Record<string, string> = {
  left: CELL_SPACING,
  center: `${CELL_SPACING}<w:jc w:val="center"/>`,
  right: `${CELL_SPACING}<w:jc w:val="right"/>`,
};

function cellParagraph(cell: DocCell, align: DocTableColumn["align"], bold: boolean): string {
  const c = typeof cell === "string" ? { text: cell } : cell;
  const style = { size: SIZE.table, bold: bold || (c.bold ?? false), italic: c.italic ?? false };
  return `<w:p><w:pPr>${CELL_ALIGN[align ?? "left"]}</w:pPr>${runs(c.text, style)}</w:p>`;
}

function dataTable(block: Extract<DocBlock, { kind: "table" }>, landscape: boolean): string {
  const width = textWidth(landscape);
  const totalWeight = block.columns.reduce((s, c) => s + c.weight, 0) || 1;
  const widths = block.columns.map((c) => Math.floor((width * c.weight) / totalWeight));
  const margins =
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="70" w:type="dxa"/>' +
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>';
  const tcPr = (w: number, extra = "") =>
    `<w:tcPr><w:tcW w:w="${w}" w:type="dxa"/>${extra}<w:vAlign w:val="center"/></w:tcPr>`;
  const headerCell = (text: string, w: number, span = 1, merge: "restart" | "" = "") =>
    `<w:tc>${tcPr(w, `${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ""}${merge ? '<w:vMerge w:val="restart"/>' : ""}`)}${cellParagraph(text, "center", true)}</w:tc>`;
  const HEADER_ROW = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  let rows = "";
  if (block.groups && block.groups.length > 0) {
    // Two header rows: plain columns span both (merged down); each group spans its sub-columns.
    let top = "";
    let sub = "";
    let col = 0;
    for (const g of block.groups) {
      if (g.span === 1 && col < block.columns.length) {
        top += headerCell(block.columns[col]!.header, widths[col]!, 1, "restart");
        sub += `<w:tc>${tcPr(widths[col]!, "<w:vMerge/>")}<w:p><w:pPr>${CELL_ALIGN.center}</w:pPr></w:p></w:tc>`;
      } else {
        const w = widths.slice(col, col + g.span).reduce((s, x) => s + x, 0);
        top += headerCell(g.header, w, g.span);
        for (let i = 0; i < g.span; i++) sub += headerCell(block.columns[col + i]!.header, widths[col + i]!);
      }
      col += g.span;
    }
    rows += `<w:tr>${HEADER_ROW}${top}</w:tr><w:tr>${HEADER_ROW}${sub}</w:tr>`;
  } else {
    rows += `<w:tr>${HEADER_ROW}${block.columns.map((c, i) => headerCell(c.header, widths[i]!)).join("")}</w:tr>`;
  }
  const cellPr = widths.map((w) => tcPr(w));
  const BODY_ROW = '<w:trPr><w:cantSplit/><w:trHeight w:val="300" w:hRule="atLeast"/></w:trPr>';
  const parts: string[] = [rows];
  block.rows.forEach((row, r) => {
    const total = block.totalRow === true && r === block.rows.length - 1;
    let tr = `<w:tr>${BODY_ROW}`;
    for (let i = 0; i < block.columns.length; i++) {
      tr += `<w:tc>${cellPr[i]}${cellParagraph(row[i] ?? "", block.columns[i]!.align, total)}</w:tc>`;
    }
    parts.push(`${tr}</w:tr>`);
  });
  return table(widths, LINES, parts.join(""), margins);
}

function blockElements(block: DocBlock, landscape: boolean): Element[] {
  switch (block.kind) {
    case "heading":
      return [
        para(
          { keepNext: true, spacing: { before: 180, after: 120 } },
          runs(block.text, { size: SIZE.body, bold: true }),
        ),
      ];
    case "subheading":
      return [
        para(
          { ...BODY_PARAGRAPH, keepNext: true, pageBreakBefore: block.newPage ?? false },
          runs(block.text, { size: SIZE.body, bold: true, italic: true }),
        ),
      ];
    case "paragraph":
      return [
        para(
          BODY_PARAGRAPH,
          runs(block.text, { size: SIZE.body, bold: block.bold ?? false, italic: block.italic ?? false }),
        ),
      ];
    case "bullet": {
      let content = "";
      if (block.lead) content += runs(`- ${block.lead}: `, { size: SIZE.body, bold: true });
      content += runs(block.lead ? block.text : `- ${block.text}`, { size: SIZE.body });
      return [para(BODY_PARAGRAPH, content)];
    }
    case "note":
      return [para({ spacing: { before: 60, after: 120 } }, runs(block.text, { size: SIZE.table, italic: true }))];
    case "table":
      return [{ xml: dataTable(block, landscape) }, para({ spacing: { after: 60 } })];
  }
}

/** The closing: recipients on the left (12), the signature block on the right (14 bold). */
function closingBlock(spec: PartyDocSpec, landscape: boolean): string {
  const left = [
    para({}, runs(spec.recipientsTitle, { size: SIZE.org, underline: true })),
    ...spec.recipients.map((r) => para({}, runs(`- ${r}`, { size: SIZE.recipients }))),
  ];
  const right = [
    centered(spec.signature.authority.toUpperCase(), { size: SIZE.org, bold: true }),
    centered(spec.signature.position.toUpperCase(), { size: SIZE.org, bold: true }, 1560),
    centered(spec.signature.name, { size: SIZE.org, bold: true }),
  ];
  return layoutTable(textWidth(landscape), 0.48, left, right, true);
}

/** A section's properties: A4, the 36-HD margins, the page number header (none on the first page). */
function sectionProperties(landscape: boolean, first: boolean): string {
  const w = twips(A4_MM.width);
  const h = twips(A4_MM.height);
  const size = landscape ? `w:w="${h}" w:h="${w}" w:orient="landscape"` : `w:w="${w}" w:h="${h}"`;
  return (
    `<w:sectPr><w:headerReference w:type="default" r:id="${REL.header}"/>` +
    (first ? `<w:headerReference w:type="first" r:id="${REL.firstHeader}"/>` : "") +
    `<w:pgSz ${size}/>` +
    `<w:pgMar w:top="${twips(MARGINS_MM.top)}" w:right="${twips(MARGINS_MM.right)}" ` +
    `w:bottom="${twips(MARGINS_MM.bottom)}" w:left="${twips(MARGINS_MM.left)}" ` +
    // the page number sits 10 mm below the top edge
    `w:header="${twips(10)}" w:footer="${twips(10)}" w:gutter="0"/>` +
    `${first ? "<w:titlePg/>" : ""}</w:sectPr>`
  );
}

const NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = { styles: "rId1", settings: "rId2", header: "rId3", firstHeader: "rId4" } as const;
const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

function documentXml(spec: PartyDocSpec): string {
  const out: string[] = [`${XML_HEAD}<w:document xmlns:w="${NS_W}" xmlns:r="${NS_R}"><w:body>`];
  spec.sections.forEach((s, i) => {
    const landscape = s.landscape ?? false;
    const elements: Element[] = [];
    if (i === 0) elements.push({ xml: headerBlock(spec) }, ...titleBlock(spec));
    for (const block of s.blocks) elements.push(...blockElements(block, landscape));
    const last = i === spec.sections.length - 1;
    if (last) {
      // the signature never stands alone on a page: the last paragraph goes with it
      const before = elements.at(-1);
      if (before && !("xml" in before) && !before.pPr.includes("<w:keepNext/>")) {
        elements[elements.length - 1] = { ...before, pPr: `<w:keepNext/>${before.pPr}` };
      }
      elements.push(para({ keepNext: true, spacing: { after: 240 } }), { xml: closingBlock(spec, landscape) });
    }
    const sectPr = sectionProperties(landscape, i === 0);
    if (last) {
      for (const e of elements) out.push(elementXml(e));
      out.push(sectPr); // the last section's properties close the body
      return;
    }
    // an earlier section's properties go into its last paragraph
    const tail = elements.at(-1);
    if (tail && !("xml" in tail)) elements.pop();
    for (const e of elements) out.push(elementXml(e));
    out.push(paraXml(tail && !("xml" in tail) ? tail : para({}), sectPr));
  });
  out.push("</w:body></w:document>");
  return out.join("");
}

const stylesXml = () =>
  `${XML_HEAD}<w:styles xmlns:w="${NS_W}"><w:docDefaults><w:rPrDefault><w:rPr>` +
  `<w:rFonts w:ascii="${DOC_FONT}" w:hAnsi="${DOC_FONT}" w:eastAsia="${DOC_FONT}" w:cs="${DOC_FONT}"/>` +
  `<w:sz w:val="${DEFAULT_SIZE}"/><w:szCs w:val="${DEFAULT_SIZE}"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>` +
  "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>" +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>' +
  '<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>' +
  '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
  "</w:styles>";

const settingsXml = () =>
  `${XML_HEAD}<w:settings xmlns:w="${NS_W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
  "</w:settings>";

/** Page numbers, Arabic, centred in the top margin (from the second page on: the first has its own, empty header). */
const pageNumberHeaderXml = () =>
  `${XML_HEAD}<w:hdr xmlns:w="${NS_W}" xmlns:r="${NS_R}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
  `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
  `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
  "</w:p></w:hdr>";
const emptyHeaderXml = () => `${XML_HEAD}<w:hdr xmlns:w="${NS_W}" xmlns:r="${NS_R}"><w:p/></w:hdr>`;

const contentTypesXml = () =>
  `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
  '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>' +
  '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' +
  '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
  "</Types>";

const packageRelsXml = () =>
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${REL_TYPE}/officeDocument" Target="word/document.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL_TYPE}/extended-properties" Target="docProps/app.xml"/>` +
  "</Relationships>";

const documentRelsXml = () =>
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  `<Relationship Id="${REL.styles}" Type="${REL_TYPE}/styles" Target="styles.xml"/>` +
  `<Relationship Id="${REL.settings}" Type="${REL_TYPE}/settings" Target="settings.xml"/>` +
  `<Relationship Id="${REL.header}" Type="${REL_TYPE}/header" Target="header1.xml"/>` +
  `<Relationship Id="${REL.firstHeader}" Type="${REL_TYPE}/header" Target="header2.xml"/>` +
  "</Relationships>";

function coreXml(spec: PartyDocSpec): string {
  const title = esc(xmlText(spec.title));
  const at = spec.created.toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${title}</dc:title><dc:creator>cum-thi-dua-bot</dc:creator><dc:description>${title}</dc:description>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified></cp:coreProperties>`
  );
}

const appXml = () =>
  `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  "<Application>cum-thi-dua-bot</Application></Properties>";

/** Builds the document and returns the .docx bytes. */
export async function renderPartyDocument(spec: PartyDocSpec): Promise<Buffer> {
  if (spec.sections.length === 0) throw new Error("a document needs at least one section");
  const parts: [string, string][] = [
    ["[Content_Types].xml", contentTypesXml()],
    ["_rels/.rels", packageRelsXml()],
    ["docProps/core.xml", coreXml(spec)],
    ["docProps/app.xml", appXml()],
    ["word/document.xml", documentXml(spec)],
    ["word/_rels/document.xml.rels", documentRelsXml()],
    ["word/styles.xml", stylesXml()],
    ["word/settings.xml", settingsXml()],
    ["word/header1.xml", pageNumberHeaderXml()],
    ["word/header2.xml", emptyHeaderXml()],
  ];
  const files: ZipPart[] = parts.map(([name, xml]) => ({ name, data: Buffer.from(xml, "utf8") }));
  return zipParts(files, { level: 6, modified: spec.created });
}
