/** A small multipart/form-data parser (enough for what Bot API clients send). */

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export class MultipartError extends Error {}

function parseDisposition(value: string): { name?: string; filename?: string } {
  const out: { name?: string; filename?: string } = {};
  // Parameters: key="quoted" | key=unquoted (up to ';'). grammY writes filename unquoted.
  const re = /;\s*([a-zA-Z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const key = (m[1] ?? "").toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "").trim();
    if (key === "name") out.name = raw;
    else if (key === "filename") out.filename ??= raw;
    else if (key === "filename*") {
      const ext = /^[^']*'[^']*'(.*)$/.exec(raw);
      try {
        out.filename = decodeURIComponent(ext?.[1] ?? raw);
      } catch {
        out.filename = raw;
      }
    }
  }
  return out;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MultipartError("multipart boundary is missing");
  const delimiter = Buffer.from(`--${boundary}`);
  const innerDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError("multipart body has no boundary");
  const parts: MultipartPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--boundary--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    let headerText = "";
    let dataStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      dataStart = pos + 2; // part without headers
    } else {
      const headerEnd = body.indexOf("\r\n\r\n", pos);
      if (headerEnd < 0) throw new MultipartError("multipart part headers are not terminated");
      headerText = body.subarray(pos, headerEnd).toString("utf8");
      dataStart = headerEnd + 4;
    }
    const next = body.indexOf(innerDelimiter, dataStart);
    if (next < 0) throw new MultipartError("multipart part is not terminated");
    let name: string | undefined;
    let filename: string | undefined;
    let partType: string | undefined;
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-disposition") {
        const d = parseDisposition(`;${value.replace(/^form-data\s*;?/i, "")}`);
        name = d.name;
        filename = d.filename;
      } else if (key === "content-type") {
        partType = value;
      }
    }
    if (name === undefined) throw new MultipartError("multipart part has no name");
    const part: MultipartPart = { name, data: Buffer.from(body.subarray(dataStart, next)) };
    if (filename !== undefined) part.filename = filename;
    if (partType !== undefined) part.contentType = partType;
    parts.push(part);
    pos = next + 2; // now at "--boundary"
  }
  return parts;
}
