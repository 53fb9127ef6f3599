// The briefing document (DOCX): opened and read back as a word processor would (header,
// title, the results table with its "Toàn cụm" row, the notes, the signature), then fed
// the fuzzer's hostile corpus as free-text answers and names: the file still opens.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { briefingDocSpec } from "../../src/bot/views/briefing.view.ts";
import { clusterTotal, evenChunks, summaryWorkbookSpec } from "../../src/bot/views/summary.view.ts";
import type { PeriodRef } from "../../src/domain/types.ts";
import { zonedLocalToInstant } from "../../src/domain/zoned-time.ts";
import { renderPartyDocument, xmlText } from "../../src/render/docx.ts";
import { headerRowOf, renderWorkbook } from "../../src/render/xlsx.ts";
import { type BriefingContext, createBriefingService } from "../../src/services/briefing.service.ts";
import { createSummaryService, type Summary } from "../../src/services/summary.service.ts";
import { clusterInput, indicator } from "../helpers/fixtures.ts";
import { convertToPdf, libreOffice, parserProblem, readDocx, xmlParts, xmlProblem } from "../helpers/office.ts";
import { createTestDb, type TestDb, testDbKinds } from "../helpers/test-db.ts";
import { METACHARACTERS, SPECIALS, stringPools } from "../security/fuzz-kit.ts";
import { type Seeded, seedCluster, seedPeriod } from "./helpers.ts";

const Q3: PeriodRef = { year: 2026, quarter: 3 };
const AFTER = zonedLocalToInstant(2026, 10, 9, 16, 0, "Asia/Ho_Chi_Minh");
const NO_CHAIR: BriefingContext = { chair: { boardName: null, personName: null } };

describe("briefing document helpers", () => {
  it("splits indicator columns into the fewest even tables", () => {
    expect(evenChunks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10).map((c) => c.length)).toEqual([10]);
    expect(evenChunks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 10).map((c) => c.length)).toEqual([6, 6]);
    expect(evenChunks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3).map((c) => c.length)).toEqual([3, 3, 2, 2]);
    expect(evenChunks([], 10)).toEqual([]);
  });

  it("keeps only characters XML can carry", () => {
    expect(xmlText("a\u0000b\u0007c\u001bd\ufffe\uffff")).toBe("abcd");
    expect(xmlText("x\uD800y\uDC00z 😀")).toBe("xyz 😀");
    expect(xmlText("1\r\n2\r3\t4")).toBe("1\n2\n3 4");
  });

  it("finds what makes XML unreadable", () => {
    expect(xmlProblem("<a><b x='1'>t &amp; u</b><c/></a>")).toBeNull();
    expect(xmlProblem("<a>x < y</a>")).toMatch(/bare "<"/);
    expect(xmlProblem("<a>AT&T</a>")).toMatch(/bad entity/);
    expect(xmlProblem("<a><b></a></b>")).toMatch(/unbalanced/);
    expect(xmlProblem("<a>\u0001</a>")).toMatch(/invalid character/);
  });
});

describe.each(testDbKinds().slice(0, 1))("briefing document on $name", (kind) => {
  let t: TestDb;
  let s: Seeded;
  let summary: Summary;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDb(kind);
    s = await seedCluster(t.repos, { name: 'Cụm thi đua <thử> & "nghiệm"' });
    await seedPeriod(t.repos, s, Q3, {
      HN: { values: { ket_nap: 1234, chinh_thuc: 12, ghi_chu: 'Hoàn thành <sớm> & vượt "kế hoạch"' } },
      HCM: { values: { ket_nap: 1000, chinh_thuc: 15, ghi_chu: "Dòng 1\nDòng 2" }, late: true },
    });
    summary = (await createSummaryService(t.repos).build(s.cluster, Q3, AFTER))!;
    dir = mkdtempSync(join(tmpdir(), "briefing-"));
  });
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads back as a Party document: header, title, results table with the cluster total, notes, signature", async () => {
    const doc = await readDocx(await renderPartyDocument(briefingDocSpec(summary, NO_CHAIR)), { allParts: true });
    const [header, results, ranking, closing] = doc.tables;
    expect(header![0]![1]).toBe("ĐẢNG CỘNG SẢN VIỆT NAM\nngày 09 tháng 10 năm 2026".replace("ngày", "……, ngày"));
    expect(header![0]![0]).toBe('CỤM THI ĐUA <THỬ> & "NGHIỆM"\n*\nSố …-BC/…');
    expect(doc.paragraphs).toContain("BÁO CÁO");
    expect(doc.paragraphs).toContain("tổng hợp kết quả thực hiện các chỉ tiêu thi đua quý III/2026");
    expect(doc.paragraphs).toContain("- Nộp muộn (1 đơn vị): TP.HCM (nộp lúc 18:00 ngày 05/10/2026).");
    expect(doc.paragraphs).toContain("- Chưa nộp (1 đơn vị): Hải Phòng.");

    expect(results![0]).toEqual(["STT", "Đơn vị", "Chỉ tiêu ket_nap (người)", "Chỉ tiêu chinh_thuc (người)"]);
    expect(results!.slice(1)).toEqual([
      ["1", "Hà Nội", "1.234", "12"],
      ["2", "TP.HCM", "1.000", "15"],
      ["3", "Hải Phòng", "chưa nộp", "chưa nộp"],
      ["", "Toàn cụm", "2.234", "27"],
    ]);
    expect(doc.orientations).toEqual(["portrait", "landscape", "portrait"]);

    expect(doc.paragraphs).toContain("III. CHỈ TIÊU GHI_CHU");
    expect(doc.paragraphs).toContain('- Hà Nội: Hoàn thành <sớm> & vượt "kế hoạch"');
    expect(doc.paragraphs).toContain("- TP.HCM: Dòng 1\nDòng 2");
    // no earlier quarter stored: no comparison column
    expect(ranking![0]).toEqual(["Hạng", "Đơn vị", "Tổng điểm", "Tình trạng báo cáo"]);
    expect(ranking![1]!.slice(0, 2)).toEqual(["1", "Hà Nội"]);
    expect(ranking![3]).toEqual(["—", "Hải Phòng", "—", "Chưa nộp"]);
    expect(closing![0]![0]).toBe("Nơi nhận:\n- Các đơn vị thành viên Cụm,\n- Lưu Văn phòng.");
    // no chair known and no signer in the cluster file: the chair's role, the name left for the office
    expect(closing![0]![1]).toBe("T/M CỤM TRƯỞNG\nCỤM TRƯỞNG\n……");
  });

  it("never leaves the signature alone on a page: the last paragraph and the spacer keep with it", async () => {
    const parts = await xmlParts(await renderPartyDocument(briefingDocSpec(summary, NO_CHAIR)));
    const body = parts.get("word/document.xml")!;
    const closingAt = body.lastIndexOf("<w:tbl>");
    expect(body.slice(closingAt)).toContain("Nơi nhận:");
    const paragraphs = body.slice(0, closingAt).match(/<w:p>.*?<\/w:p>/g)!;
    const [text, spacer] = paragraphs.slice(-2);
    expect(text).toContain("Phương pháp chấm điểm");
    expect(text).toContain("<w:keepNext/>");
    expect(spacer).toContain("<w:keepNext/>");
  });

  it("puts the text indicators the cluster file maps into their sections, board by board, and the file's place in the date line", async () => {
    const t3 = await createTestDb(kind);
    try {
      const text = (code: string, section?: "highlights" | "difficulties") =>
        indicator(code, { kind: "text", unit: "", weight: 0, required: false, min: undefined, section });
      const s3 = await seedCluster(t3.repos, {
        place: "Hà Nội",
        indicators: [
          indicator("ket_nap"),
          text("noi_bat", "highlights"),
          text("ghi_chu"),
          text("kien_nghi", "difficulties"),
          text("de_xuat", "difficulties"),
        ],
      });
      await seedPeriod(t3.repos, s3, Q3, {
        HN: { values: { ket_nap: 5, noi_bat: "Vượt kế hoạch", ghi_chu: "Ghi chú riêng", kien_nghi: "Thêm biên chế" } },
        HCM: { values: { ket_nap: 3, kien_nghi: "Sửa quy trình", de_xuat: "Tập huấn" } },
      });
      const cluster = (await t3.repos.clusters.findById(s3.cluster.id))!;
      const sum = (await createSummaryService(t3.repos).build(cluster, Q3, AFTER))!;
      const doc = await readDocx(await renderPartyDocument(briefingDocSpec(sum, NO_CHAIR)));
      expect(doc.tables[0]![0]![1]).toBe("ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 09 tháng 10 năm 2026");
      const from = doc.paragraphs.indexOf("III. KẾT QUẢ NỔI BẬT");
      expect(from).toBeGreaterThan(0);
      expect(doc.paragraphs.slice(from, from + 9)).toEqual([
        "III. KẾT QUẢ NỔI BẬT",
        "- Hà Nội: Vượt kế hoạch",
        "IV. CHỈ TIÊU GHI_CHU",
        "- Hà Nội: Ghi chú riêng",
        "V. KHÓ KHĂN, KIẾN NGHỊ",
        "- Hà Nội: Thêm biên chế",
        "- TP.HCM: Sửa quy trình",
        "- TP.HCM: Tập huấn",
        "VI. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
      ]);
    } finally {
      await t3.drop();
    }
  });

  it("names the chair board and the chair person of the period", async () => {
    const person = await t.repos.people.upsert({ telegramId: 8_100_001n, firstName: "Nguyễn Thị", lastName: "Hạnh" });
    const inviteAt = new Date("2026-09-01T00:00:00Z");
    for (const [role, boardId, hash] of [
      ["secretary", s.boardIds.get("HN")!, "briefing-sec"],
      ["chair", null, "briefing-chair"],
    ] as const) {
      await t.repos.people.createInvitation(
        { clusterId: s.cluster.id, role, boardId, tokenHash: hash, expiresAt: AFTER, createdByPersonId: null },
        inviteAt,
      );
      expect((await t.repos.people.redeemInvitation(hash, person.id, inviteAt)).ok).toBe(true);
    }
    const ctx = await createBriefingService(t.repos).context(s.cluster.id, Q3);
    expect(ctx.chair).toEqual({ boardName: "Ban Tổ chức Thành ủy Hà Nội", personName: "Nguyễn Thị Hạnh" });
    const doc = await readDocx(await renderPartyDocument(briefingDocSpec(summary, ctx)));
    expect(doc.tables[0]![0]![0]).toBe('CỤM THI ĐUA <THỬ> & "NGHIỆM"\nBAN TỔ CHỨC THÀNH ỦY HÀ NỘI\n*\nSố …-BC/…');
    expect(doc.tables.at(-1)![0]![1]).toBe("T/M CỤM TRƯỞNG\nCỤM TRƯỞNG\nNguyễn Thị Hạnh");
    // a position from the cluster file, the name still the chair's
    const positioned = { ...ctx, signer: { position: "Trưởng ban Tổ chức Thành ủy", name: null } };
    const doc2 = await readDocx(await renderPartyDocument(briefingDocSpec(summary, positioned)));
    expect(doc2.tables.at(-1)![0]![1]).toBe("T/M CỤM TRƯỞNG\nTRƯỞNG BAN TỔ CHỨC THÀNH ỦY\nNguyễn Thị Hạnh");
  });

  it("shows lũy kế under each indicator once a second quarter is in, and the year's document", async () => {
    const t2 = await createTestDb(kind);
    try {
      const s2 = await seedCluster(t2.repos);
      await seedPeriod(
        t2.repos,
        s2,
        { year: 2026, quarter: 2 },
        {
          HN: { values: { ket_nap: 100, chinh_thuc: 10 } },
          HCM: { values: { ket_nap: 50, chinh_thuc: 5 } },
        },
      );
      await seedPeriod(t2.repos, s2, Q3, {
        HN: { values: { ket_nap: 1234, chinh_thuc: 12, ghi_chu: "Ghi chú quý III" } },
        HCM: { values: { ket_nap: 1000, chinh_thuc: 15 }, late: true },
      });
      const summaries = createSummaryService(t2.repos);
      const q3 = (await summaries.build(s2.cluster, Q3, AFTER))!;
      const doc = await readDocx(await renderPartyDocument(briefingDocSpec(q3, NO_CHAIR)));
      const results = doc.tables[1]!;
      // two header rows: each indicator over its sub-columns (STT and Đơn vị span both: merged, empty below)
      expect(results[0]).toEqual(["STT", "Đơn vị", "Chỉ tiêu ket_nap (người)", "Chỉ tiêu chinh_thuc (người)"]);
      expect(results[1]).toEqual(["", "", "Quý III", "Lũy kế", "Quý III", "Lũy kế"]);
      expect(results[2]).toEqual(["1", "Hà Nội", "1.234", "1.334", "12", "22"]);
      expect(results.at(-1)).toEqual(["", "Toàn cụm", "2.234", "2.384", "27", "42"]);
      expect(doc.paragraphs).toContain("Lũy kế: từ quý II/2026 đến hết quý III/2026.");

      // the spreadsheet carries the same figures, as numbers, with the cluster's row
      const spec = summaryWorkbookSpec(q3);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await renderWorkbook(spec)) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet("Lũy kế, kế hoạch")!;
      const head = headerRowOf(spec.sheets.find((x) => x.name === "Lũy kế, kế hoạch")!);
      expect((ws.getRow(head).values as unknown[]).slice(1)).toEqual([
        "STT",
        "Đơn vị",
        "Chỉ tiêu ket_nap (người): quý III",
        "Chỉ tiêu ket_nap (người): lũy kế",
        "Chỉ tiêu chinh_thuc (người): quý III",
        "Chỉ tiêu chinh_thuc (người): lũy kế",
      ]);
      expect((ws.getRow(head + 1).values as unknown[]).slice(1)).toEqual([1, "Hà Nội", 1234, 1334, 12, 22]);
      expect((ws.getRow(head + 4).values as unknown[]).slice(2)).toEqual(["Toàn cụm", 2234, 2384, 27, 42]);

      const year = (await summaries.buildYear(s2.cluster, 2026, AFTER))!;
      const yearDoc = await readDocx(await renderPartyDocument(briefingDocSpec(year, NO_CHAIR)));
      expect(yearDoc.paragraphs).toContain("tổng kết thực hiện các chỉ tiêu thi đua năm 2026");
      const record = yearDoc.tables[1]!;
      expect(record[0]).toEqual(["STT", "Đơn vị", "Số quý nộp đúng hạn", "Số quý nộp muộn", "Số quý chưa nộp"]);
      expect(record.find((r) => r[1] === "TP.HCM")).toEqual(["2", "TP.HCM", "1", "1", "0"]);
      const yearResults = yearDoc.tables[2]!;
      expect(yearResults[0]).toEqual(["STT", "Đơn vị", "Chỉ tiêu ket_nap (người)", "Chỉ tiêu chinh_thuc (người)"]);
      expect(yearResults.find((r) => r[1] === "Hà Nội")!.slice(2)).toEqual(["1.334", "22"]);
      expect(yearResults.at(-1)).toEqual(["", "Toàn cụm", "2.384", "42"]);
      // the year's notes belong to the quarters' documents
      expect(yearDoc.paragraphs.some((p) => p.includes("Ghi chú quý III"))).toBe(false);
      expect(
        yearDoc.paragraphs.some((p) => p.startsWith("Phương pháp chấm điểm: điểm năm") || p.includes("năm 2026")),
      ).toBe(true);
    } finally {
      await t2.drop();
    }
  });

  it("sums counts and averages rates in the cluster row, over the boards that submitted", () => {
    const d = summary.indicators.find((i) => i.code === "ket_nap")!;
    expect(clusterTotal(summary.boards, d)).toBe(2234);
    expect(clusterTotal(summary.boards, { ...d, kind: "percent" })).toBe(1117);
    expect(clusterTotal([], d)).toBeNull();
  });

  it("hostile names, answers and labels: every XML part parses (saxes, strict), the text is kept minus what XML cannot carry", async () => {
    const controls = Array.from({ length: 32 }, (_, c) => `${String.fromCharCode(c)}${c}`).join("");
    const HOSTILE = [
      `XML <w:t>]]></w:t> &amp; &lt; &#0; &#x1; "'<>& <?xml version="1.0"?> <!DOCTYPE x [<!ENTITY a "b">]>&a;`,
      `điều khiển ${controls} \uFFFE:\uFFFE \uFFFF:\uFFFF lẻ:\uD800\uDC00\uDBFF.`,
      "phải-sang-trái \u200fمرحبا\u200f \u202eđảo ngược\u202c \u2067עברית\u2069 \u061c١٢٣",
      "biểu tượng 👨‍👩‍👧‍👦🇻🇳😀 e\u0301 Z̷̛̖̈́a̴̤͝l̸̙̈g̶̰͗o̵͙̍",
      '<b>đậm</b><script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:1">liên kết</a>',
      `dài ${"Khó khăn về biên chế & <kinh phí>. ".repeat(600)}`,
      "x".repeat(10_000),
    ];
    const kept = (t: string) => xmlText(t).replace(/\n/g, " ").replace(/\s+/g, " ").trim();
    const template = summary.boards[0]!;
    const started = performance.now();
    for (let k = 0; k < HOSTILE.length; k++) {
      const name = HOSTILE[k]!;
      const hostile: Summary = {
        ...summary,
        cluster: { ...summary.cluster, name, place: HOSTILE[(k + 3) % HOSTILE.length]! },
        indicators: summary.indicators.map((d) => ({
          ...d,
          label: `${d.label} ${HOSTILE[(k + 1) % HOSTILE.length]!}`,
        })),
        boards: HOSTILE.map((note, j) => ({
          ...template,
          code: `B${j}`,
          name: HOSTILE[(j + 2) % HOSTILE.length]!,
          shortName: HOSTILE[(j + k) % HOSTILE.length]!,
          values: { ...template.values, ghi_chu: note },
        })),
      };
      const ctx: BriefingContext = { chair: { boardName: HOSTILE[(k + 4) % HOSTILE.length]!, personName: name } };
      const bytes = await renderPartyDocument(briefingDocSpec(hostile, ctx));
      const parts = await xmlParts(bytes);
      expect(parts.has("word/document.xml")).toBe(true);
      for (const [part, xml] of parts) {
        expect(parserProblem(xml), `${part} of document ${k}`).toBeNull();
        expect(xmlProblem(xml), `${part} of document ${k}`).toBeNull();
      }
      const doc = await readDocx(bytes);
      const all = kept([...doc.paragraphs, ...doc.tables.flat(2)].join(" "));
      // every hostile text is in the document as typed, minus the characters XML 1.0 has no place for
      for (const text of HOSTILE) expect(all.includes(kept(text)), `document ${k}: ${text.slice(0, 40)}`).toBe(true);
      const illegal = [...all].filter((ch) => {
        const cp = ch.codePointAt(0)!;
        return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0xfffe || cp === 0xffff;
      });
      expect(illegal).toEqual([]);
      // the markup-looking text is text: no run, paragraph or element came from it
      expect(doc.xml).not.toContain("<script>");
      expect(doc.xml).not.toContain("<w:t>]]>");
    }
    // seven documents of ~40 kB of hostile text each
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("still opens with the fuzzer's hostile corpus as notes and names", async () => {
    const pools = stringPools(20_261_130);
    const corpus = [
      ...METACHARACTERS,
      ...SPECIALS,
      ...pools.unicode.slice(0, 60),
      ...pools.graphemes.slice(0, 30),
      "x\uD800y",
      "\uDC00",
      "]]><!--",
      "<?xml version='1.0'?>",
      "😀".repeat(500),
    ];
    const docs: Buffer[] = [];
    // Fifteen boards a document: every corpus entry goes in as a note and a board name, some as the cluster's name.
    const PER_DOC = 15;
    const template = summary.boards[0]!;
    for (let i = 0; i < corpus.length; i += PER_DOC) {
      const notes = corpus.slice(i, i + PER_DOC);
      const hostile: Summary = {
        ...summary,
        cluster: { ...summary.cluster, name: notes[0]! },
        boards: notes.map((note, k) => ({
          ...template,
          code: `B${k}`,
          shortName: notes[(k + 1) % notes.length]!,
          values: { ...template.values, ghi_chu: note },
        })),
      };
      const ctx: BriefingContext = { chair: { boardName: notes[1] ?? "x", personName: notes[2] ?? "y" } };
      const bytes = await renderPartyDocument(briefingDocSpec(hostile, ctx));
      const doc = await readDocx(bytes, { allParts: i === 0 }); // throws when not well-formed
      for (const note of notes) {
        const kept = xmlText(note).trim();
        if (kept === "") continue;
        expect(doc.paragraphs.some((p) => p.includes(kept))).toBe(true);
      }
      docs.push(bytes);
    }
    expect(docs.length).toBeGreaterThan(8);

    const bin = libreOffice();
    if (!bin) return; // LibreOffice is optional (not in CI); the XML checks above always run
    const file = join(dir, "hostile.docx");
    writeFileSync(file, docs[Math.floor(docs.length / 2)]!);
    const r = convertToPdf(bin, file, dir, dir);
    expect(r.status).toBe(0);
    expect(r.output).toContain("hostile.pdf");
    expect(r.output.split("\n").filter((l) => /error|warn/i.test(l) && !/javaldx/.test(l))).toEqual([]);
  }, 120_000);
});

describe.each(testDbKinds())("the cluster file's signer on $name", (kind) => {
  let t: TestDb;
  afterAll(async () => {
    await t?.drop();
  });

  it("is stored by apply, read by the briefing context and printed in the signature block; taken away by a file without it", async () => {
    t = await createTestDb(kind);
    const signer = { position: "Giám đốc Sở Nội vụ", name: "Nguyễn Văn Hùng" };
    const s = await seedCluster(t.repos, { signer });
    await seedPeriod(t.repos, s, Q3, { HN: { values: { ket_nap: 5, chinh_thuc: 1 } } });
    const briefing = createBriefingService(t.repos);
    const ctx = await briefing.context(s.cluster.id, Q3);
    expect(ctx.signer).toEqual(signer);
    const sum = (await createSummaryService(t.repos).build(s.cluster, Q3, AFTER))!;
    const spec = briefingDocSpec(sum, ctx);
    expect(spec.signature).toEqual({ authority: "T/M CỤM TRƯỞNG", ...signer });
    const doc = await readDocx(await renderPartyDocument(spec));
    expect(doc.tables.at(-1)![0]![1]).toBe("T/M CỤM TRƯỞNG\nGIÁM ĐỐC SỞ NỘI VỤ\nNguyễn Văn Hùng");

    // the same file without `signer`: back to the chair's wording
    const again = await t.repos.clusters.apply(clusterInput({}), new Date("2026-10-01T00:00:00Z"));
    expect(again.changes).toEqual(
      expect.arrayContaining(["cluster signerPosition changed", "cluster signerName changed"]),
    );
    const plain = await briefing.context(s.cluster.id, Q3);
    expect(plain.signer).toEqual({ position: null, name: null });
    expect(briefingDocSpec(sum, plain).signature).toEqual({
      authority: "T/M CỤM TRƯỞNG",
      position: "CỤM TRƯỞNG",
      name: "……",
    });
  });
});
