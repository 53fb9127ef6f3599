// Bounds on a plan spreadsheet before any parser sees it. An .xlsx is a zip of XML parts:
// a few kilobytes can unpack to gigabytes (a zip bomb), and a tiny sheet can claim a
// cell at XFD1048576 so that a cell-by-cell reader walks 17 billion cells. The plan
// sheet of a cluster is a few hundred cells, so the caps are generous for it and small
// for the machine: the file, the bytes it unpacks to (counted while inflating, not taken
// from the zip's own headers, which can lie), the rows and cells counted in the XML before
// the spreadsheet parser builds them (it takes ~3 s and ~100 MB per 20,000 rows), and the
// extent the parser reports.
import { inflateRawSync } from "node:zlib";

export const SPREADSHEET_LIMITS = {
  /** bytes of the file as given (.xlsx or .csv) */
  fileBytes: 5 * 1024 * 1024,
  /** bytes of all parts of an .xlsx once unpacked */
  unzippedBytes: 16 * 1024 * 1024,
  /** zip entries (a workbook has about a dozen parts) */
  entries: 500,
  /** rows of the sheet, header included (boards × years) */
  rows: 2000,
  /** cells of any sheet, and shared strings of the workbook, counted in the XML before it is parsed */
  cells: 50_000,
  /** columns of the sheet (year, board, name and the indicators) */
  columns: 200,
} as const;

export class SpreadsheetLimitError extends Error {
  override name = "SpreadsheetLimitError";
}

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Refuses a file larger than the cap (checked on the size before reading it). */
export function checkFileSize(bytes: number): void {
  if (bytes > SPREADSHEET_LIMITS.fileBytes)
    throw new SpreadsheetLimitError(
      `the file is ${(bytes / (1024 * 1024)).toFixed(1)} MB; a plan sheet is at most ${MB(SPREADSHEET_LIMITS.fileBytes)}`,
    );
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/**
 * Checks that `buf` is a zip whose entries unpack, all together, to at most the cap: each
 * entry is really inflated with an output limit, so a lying header or a bomb stops at the
 * cap after a few milliseconds. Throws {@link SpreadsheetLimitError} with the reason.
 */
export function checkXlsxArchive(buf: Buffer): void {
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL_SIG)
    throw new SpreadsheetLimitError("not an .xlsx file (not a zip archive): save it from Excel as .xlsx");
  // the end-of-central-directory record sits in the last 64 KiB + 22 bytes
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new SpreadsheetLimitError("not a readable .xlsx file (the zip archive is cut short)");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new SpreadsheetLimitError("not a readable .xlsx file (a zip64 archive is too large for a plan sheet)");
  if (count > SPREADSHEET_LIMITS.entries)
    throw new SpreadsheetLimitError(
      `the .xlsx file has ${count} parts; a workbook has at most ${SPREADSHEET_LIMITS.entries}`,
    );
  let budget: number = SPREADSHEET_LIMITS.unzippedBytes;
  const tooBig = () =>
    new SpreadsheetLimitError(
      `the .xlsx file unpacks to more than ${MB(SPREADSHEET_LIMITS.unzippedBytes)}; a plan sheet is far smaller (is it the right file?)`,
    );
  const broken = (why: string) => new SpreadsheetLimitError(`not a readable .xlsx file (${why})`);
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_SIG) throw broken("damaged zip directory");
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (declared > budget) throw tooBig();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL_SIG) throw broken("damaged zip entry");
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw broken("a zip entry runs past the end of the file");
    const data = buf.subarray(start, start + compressed);
    let unpacked: Buffer;
    if (method === 0) unpacked = data;
    else if (method === 8) {
      try {
        unpacked = inflateRawSync(data, { maxOutputLength: budget + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooBig();
        throw broken("a zip entry does not unpack");
      }
    } else throw broken(`zip compression method ${method}`);
    if (unpacked.length > budget) throw tooBig();
    budget -= unpacked.length;
    if (/^xl\/(worksheets\/[^/]+\.xml|sharedStrings\.xml)$/i.test(name)) countElements(unpacked);
  }
}

/** Refuses a part with more rows, cells or shared strings than a plan sheet has. */
function countElements(xml: Buffer): void {
  const count = (tag: string, cap: number): number => {
    const needle = Buffer.from(tag);
    let n = 0;
    for (let i = xml.indexOf(needle); i >= 0 && n <= cap; i = xml.indexOf(needle, i + needle.length)) {
      // "<row" must not count "<rowBreaks": the next byte ends the tag name
      const next = xml[i + needle.length];
      if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) n++;
    }
    return n;
  };
  const rows = count("<row", SPREADSHEET_LIMITS.rows);
  if (rows > SPREADSHEET_LIMITS.rows)
    throw new SpreadsheetLimitError(
      `a sheet has more than ${SPREADSHEET_LIMITS.rows} rows; a plan sheet has one row per board and year`,
    );
  for (const tag of ["<c", "<si"])
    if (count(tag, SPREADSHEET_LIMITS.cells) > SPREADSHEET_LIMITS.cells)
      throw new SpreadsheetLimitError(
        `the workbook has more than ${SPREADSHEET_LIMITS.cells} cells; a plan sheet has one row per board and year and one column per indicator`,
      );
}

/** Refuses a sheet whose extent is larger than a plan sheet can be (before walking its cells). */
export function checkSheetExtent(rows: number, columns: number): void {
  if (rows > SPREADSHEET_LIMITS.rows)
    throw new SpreadsheetLimitError(
      `the sheet has ${rows} rows; a plan sheet has at most ${SPREADSHEET_LIMITS.rows} (one row per board and year)`,
    );
  if (columns > SPREADSHEET_LIMITS.columns)
    throw new SpreadsheetLimitError(
      `the sheet has ${columns} columns; a plan sheet has at most ${SPREADSHEET_LIMITS.columns} (one per indicator)`,
    );
}
