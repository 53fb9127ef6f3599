import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadImage } from "@napi-rs/canvas";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { runDemo } from "../../src/demo/demo.ts";
import { convertToPdf, libreOffice, readDocx } from "../helpers/office.ts";
import { registerProblems } from "../helpers/register.ts";

describe("npm run demo", () => {
  const out = mkdtempSync(join(tmpdir(), "demo-test-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("plays a whole quarter and leaves a valid transcript, chart, spreadsheet and report document", async () => {
    const result = await runDemo({ outDir: out });
    const text = readFileSync(result.files.transcript, "utf8");
    // the opening reaches the six secretaries; reminders only Cần Thơ, the late one
    expect(text).toContain("lịch: open (btc-5tp:2026-Q3:open) → 6 tin nhắn");
    for (const offset of ["3d", "2h"]) {
      expect(text).toContain(`lịch: reminder (btc-5tp:2026-Q3:reminder:${offset}) → 1 tin nhắn`);
    }
    // working days: the opening moved from Sunday 20/09 to Monday 21/09, no reminder on Sunday 04/10,
    // the briefing moved from Saturday 10/10 to Monday 12/10 (shown by /trangthai)
    expect(text).toContain("[21/09 08:00] ── lịch: open (btc-5tp:2026-Q3:open)");
    expect(text).not.toContain("[20/09 08:00] ── lịch: open");
    expect(text).not.toContain("reminder:1d");
    expect(text).toContain("Giao ban: 08:00 ngày 12/10/2026 (dời từ thứ Bảy 10/10/2026 do trùng ngày nghỉ cuối tuần)");
    expect(text).toMatch(/🤖 → Nam \(thư ký Cần Thơ\): ⏰ Nhắc nhở/);
    expect(text).not.toMatch(/🤖 → (Lan|Tuấn|Hoa|Minh|Thảo) \([^)]*\): ⏰ Nhắc nhở/);
    // one message per answer: the acknowledgement (value with its unit, no "=") on top of the next question;
    // the header states the days the figures cover
    expect(text).toContain(
      "🤖 → Tuấn (thư ký TP.HCM): 💾 Đã lưu: Số đảng viên mới kết nạp — 1.560 người\n\n      Chỉ tiêu 2/12\n",
    );
    expect(text).not.toMatch(/Đã lưu: [^\n]* = /);
    expect(text).toContain("Số liệu tính từ 01/07/2026 đến hết 30/09/2026.");
    // typos get hints; the deadline list goes to chair and deputy; Cần Thơ is late
    expect(text).toContain("Chỉ tiêu này là số nguyên");
    expect(text).toContain("Bot chưa đọc được số viết bằng chữ");
    expect(text).toMatch(/🤖 → Hạnh [^\n]*Đã hết hạn nộp báo cáo quý III\/2026/);
    expect(text).toMatch(/🤖 → Dũng [^\n]*Đã hết hạn nộp báo cáo quý III\/2026/);
    expect(text).toContain("Báo cáo được ghi nhận là nộp muộn");
    expect(text).toContain("Đã nộp lại báo cáo quý III/2026 (lần 2)");
    expect(text).toMatch(/🤖 → nhóm của cụm: 🏆 Tổng kết thi đua quý III\/2026/);
    // the register: every bot message (with its continuation lines and buttons) says đồng chí, no English word
    const botMessages = text.split(/\n(?=\[\d\d\/\d\d \d\d:\d\d\] )/).filter((m) => / 🤖 → /.test(m));
    expect(botMessages.length).toBeGreaterThan(100);
    expect(
      botMessages.flatMap((m) => registerProblems(m.replace(/^.*? 🤖 → [^:]*: /, "")).map((w) => `${w} ← ${m}`)),
    ).toEqual([]);
    expect(text).toContain("Kính chào đồng chí Hạnh.");
    // the group is linked from the chat
    expect(text).toMatch(/🤖 → nhóm của cụm: ✅ Nhóm này đã được kết nối làm nhóm của Cụm thi đua/);
    expect(text).toMatch(/🤖 → Hạnh [^\n]*: 🔗 Đã kết nối nhóm/);

    // people over a year: Minh leaves mid-quarter (removed from /thanhvien, told once, no reminder),
    // Quang finishes Đà Nẵng's report, and at the year-end Hạnh hands the chair over to TP.HCM's Tuấn
    expect(text).toMatch(
      /🤖 → Hạnh [^\n]*: ✅ Đã chấm dứt vai trò thư ký của Ban Tổ chức Thành ủy Đà Nẵng của đồng chí Minh/,
    );
    expect(text.match(/🤖 → Minh [^\n]*: Kính gửi đồng chí Minh/g)).toHaveLength(1);
    expect(text).not.toMatch(/🤖 → Minh [^\n]*: ⏰ Nhắc nhở/);
    expect(text).toMatch(/🤖 → Quang [^\n]*: ✅ Đã nộp báo cáo quý III\/2026/);
    expect(text).toMatch(/🤖 → Hạnh [^\n]*: Kính gửi đồng chí Hạnh,\n\s+vai trò cụm trưởng/);
    expect(text).toContain(
      "Cụm trưởng theo kỳ (dùng cho văn bản): quý IV/2026 — Hạnh (Hà Nội); quý I/2027 — Tuấn (TP.HCM)",
    );

    const png = await loadImage(readFileSync(result.files.chart));
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBeGreaterThan(300);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(result.files.workbook) as unknown as ArrayBuffer);
    const ranked = wb.worksheets[0]!;
    const cells: string[] = [];
    ranked.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    for (const board of ["Hà Nội", "TP.HCM", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"]) expect(cells).toContain(board);
    expect(readFileSync(result.files.summary, "utf8")).toContain("Cần Thơ");

    // the report document the group received: Party header, the results table with the cluster row
    const doc = await readDocx(readFileSync(result.files.report), { allParts: true });
    expect(doc.tables[0]![0]![1]).toMatch(/^ĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 09 tháng 10 năm 2026$/);
    const results = doc.tables[1]!;
    // two header rows (indicator, then Quý III / Lũy kế), the boards, the cluster's row
    expect(results[1]!.slice(2, 4)).toEqual(["Quý III", "Lũy kế"]);
    expect(results.slice(2).map((r) => r[1])).toEqual([
      // ranked by % of each board's own 2026 plan (docs/examples/btc-5tp.yaml), not by size
      "Đà Nẵng",
      "Hải Phòng",
      "Huế",
      "Hà Nội",
      "TP.HCM",
      "Cần Thơ",
      "Toàn cụm",
    ]);
    expect(results[6]![2]).toBe("1.560");
    expect(doc.paragraphs.some((p) => p.startsWith("- Cần Thơ: Đề nghị tăng kinh phí"))).toBe(true);
    // the year so far, asked with /tongket 2026 in the group
    const year = await readDocx(readFileSync(result.files.yearReport));
    expect(year.paragraphs).toContain("tổng kết thực hiện các chỉ tiêu thi đua năm 2026");
    // both open in LibreOffice without a complaint, where it is installed (CI does not need it)
    const bin = libreOffice();
    if (bin) {
      for (const file of [result.files.report, result.files.yearReport]) {
        const r = convertToPdf(bin, file, out, out);
        expect(r.status).toBe(0);
        expect(r.output.split("\n").filter((l) => /error|warn/i.test(l) && !/javaldx/.test(l))).toEqual([]);
      }
    }
    // a loaded 2-core machine (six developers' test runs) took 90 s once; alone it takes about 15 s
    expect(result.seconds).toBeLessThan(120);
  }, 120_000);
});
