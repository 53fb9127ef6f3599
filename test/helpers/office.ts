// Reading back the office files the bot writes, as a person's word processor would:
// a DOCX is unzipped, word/document.xml checked for well-formedness and read into
// paragraphs and table cells; LibreOffice converts it to PDF when it is installed.
import { spawnSync } from "node:child_process";
import JSZip from "jszip";
import { SaxesParser } from "saxes";

export interface DocxContent {
  xml: string;
  /** every paragraph's text outside tables, in order; line breaks as "\n" */
  paragraphs: string[];
  /** tables → rows → cell texts (a cell's paragraphs joined with "\n") */
  tables: string[][][];
  /** the document.xml section properties, in order: "portrait" | "landscape" */
  orientations: string[];
}

const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const TOKEN =
  /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"(?:[^"<&]|&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)*"|'(?:[^'<&]|&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)*'))*)\s*(\/?)>|&[^;\s<]*;?|</g;

/** Null when the XML is well-formed (tags balanced, entities valid, only XML 1.0 characters); else why not. */
export function xmlProblem(xml: string): string | null {
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    const ok =
      cp === 0x09 ||
      cp === 0x0a ||
      cp === 0x0d ||
      (cp >= 0x20 && !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0xfffe && cp !== 0xffff);
    if (!ok) return `invalid character U+${cp.toString(16).padStart(4, "0")}`;
  }
  const stack: string[] = [];
  for (const m of xml.matchAll(TOKEN)) {
    const [all, closing, name, , selfClosing] = m;
    if (all.startsWith("&")) {
      if (!ENTITY.test(all) || all.match(ENTITY)![0] !== all) return `bad entity ${JSON.stringify(all)} at ${m.index}`;
      continue;
    }
    if (name === undefined) {
      if (all === "<") return `bare "<" at ${m.index}`;
      continue; // declaration, comment, CDATA
    }
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return `unbalanced </${name}> at ${m.index}`;
  }
  return stack.length === 0 ? null : `unclosed <${stack.at(-1)}>`;
}

/**
 * The same question asked of a real XML parser (saxes, the strict one exceljs reads with):
 * null when the XML is well-formed with namespaces resolved, else its first error.
 */
export function parserProblem(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  let first: string | null = null;
  parser.on("error", (err) => {
    first ??= err.message;
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    first ??= (err as Error).message;
  }
  return first;
}

/** Every XML part of an Office file (zip): name → text. */
export async function xmlParts(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files).filter((n) => n.endsWith(".xml") || n.endsWith(".rels")))
    out.set(name, await zip.file(name)!.async("string"));
  return out;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");
}

/** The text of one paragraph's XML: its w:t runs, w:br as a line break. */
function paragraphText(p: string): string {
  let out = "";
  for (const m of p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:t(?:\s[^>]*)?\/>|<w:br\/>|<w:br\s[^>]*\/>/g)) {
    out += m[0].startsWith("<w:br") ? "\n" : decode(m[1] ?? "");
  }
  return out;
}

const paragraphsOf = (xml: string) =>
  [...xml.matchAll(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>/g)].map((m) => paragraphText(m[0]));

/**
 * Opens a .docx and reads word/document.xml; throws when it is missing or not well-formed
 * (with `allParts`, when any XML part of the package is not).
 */
export async function readDocx(bytes: Buffer, opts: { allParts?: boolean } = {}): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file("word/document.xml");
  if (!file) throw new Error("word/document.xml is missing");
  const xml = await file.async("string");
  const problem = xmlProblem(xml) ?? parserProblem(xml);
  if (problem) throw new Error(`word/document.xml is not well-formed: ${problem}`);
  const parts = opts.allParts ? Object.keys(zip.files).filter((n) => n.endsWith(".xml") || n.endsWith(".rels")) : [];
  for (const name of parts) {
    const text = await zip.file(name)!.async("string");
    const other = xmlProblem(text) ?? parserProblem(text);
    if (other) throw new Error(`${name} is not well-formed: ${other}`);
  }
  const tables: string[][][] = [];
  const outside = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
    tables.push(
      [...tbl.matchAll(/<w:tr(?:\s[^>]*)?>[\s\S]*?<\/w:tr>/g)].map((row) =>
        [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => paragraphsOf(cell[0]).join("\n")),
      ),
    );
    return "";
  });
  const orientations = [...xml.matchAll(/<w:pgSz\b[^>]*>/g)].map((m) =>
    /w:orient="landscape"/.test(m[0]) ? "landscape" : "portrait",
  );
  return { xml, paragraphs: paragraphsOf(outside), tables, orientations };
}

/** The LibreOffice binary, or null when it is not installed (CI does not need it). */
export function libreOffice(): string | null {
  for (const bin of ["libreoffice", "soffice"]) {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
    if (r.status === 0) return bin;
  }
  return null;
}

/** Converts a file to PDF with LibreOffice; returns its output (stdout and stderr). */
export function convertToPdf(
  bin: string,
  file: string,
  outDir: string,
  home: string,
): { status: number | null; output: string } {
  const r = spawnSync(bin, ["--headless", "--convert-to", "pdf", "--outdir", outDir, file], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, HOME: home },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
