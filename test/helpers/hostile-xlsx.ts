// Hostile .xlsx files made at run time (no big binaries in git): a minimal zip writer that
// takes parts either as text or as raw deflate data already made, and the XML parts of a
// one-sheet workbook with inline strings. Large parts are made by repeating one deflated
// chunk: a chunk compressed with a full flush is byte-aligned and owes nothing to what came
// before, so N copies in a row plus a final block are one valid deflate stream of N × the
// chunk, made in microseconds however many gigabytes it unpacks to.
import { constants, crc32, deflateRawSync } from "node:zlib";

export interface ZipPart {
  name: string;
  /** deflate data of the part */
  data: Buffer;
  /** the unpacked size written in the headers (a bomb may lie) */
  size: number;
  crc: number;
}

/** A part from its text. */
export function textPart(name: string, text: string): ZipPart {
  const raw = Buffer.from(text, "utf8");
  return { name, data: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
}

/** A part of `head`, `chunk` × `times`, `tail`, deflated without ever being built whole. */
export function repeatedPart(
  name: string,
  head: string,
  chunk: string,
  times: number,
  tail: string,
  declaredSize?: number,
): ZipPart {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const c = deflateRawSync(Buffer.from(chunk, "utf8"), flush);
  const data = Buffer.concat([
    deflateRawSync(Buffer.from(head, "utf8"), flush),
    ...Array.from({ length: times }, () => c),
    deflateRawSync(Buffer.from(tail, "utf8")),
  ]);
  const size = Buffer.byteLength(head) + Buffer.byteLength(chunk) * times + Buffer.byteLength(tail);
  // the CRC is not checked by the guard (the size cap trips first); 0 keeps this instant
  return { name, data, size: declaredSize ?? Math.min(size, 0xfffffffe), crc: 0 };
}

/** A part made of `pieces` in turn, each deflated on its own (the whole is never in memory at once). */
export function chunkedPart(name: string, pieces: Iterable<string>): ZipPart {
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const data: Buffer[] = [];
  let size = 0;
  for (const piece of pieces) {
    data.push(deflateRawSync(Buffer.from(piece, "utf8"), flush));
    size += Buffer.byteLength(piece);
  }
  data.push(deflateRawSync(Buffer.alloc(0)));
  return { name, data: Buffer.concat(data), size, crc: 0 };
}

/** A zip archive of the parts (deflate, no zip64). */
export function zip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(p.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts of a workbook around one sheet named `sheetName` (the sheet part itself is the caller's). */
export function workbookParts(sheetName = "Kế hoạch"): ZipPart[] {
  return [
    textPart(
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    textPart(
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    textPart(
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    textPart(
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  ];
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><sheetData>`;
export const SHEET_TAIL = "</sheetData></worksheet>";

/** An inline-string cell. */
export const strCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
export const numCell = (ref: string, n: number) => `<c r="${ref}"><v>${n}</v></c>`;
