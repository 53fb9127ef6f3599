// The words of the documents the bot writes (the briefing DOCX, the printable
// spreadsheet, the chart's footnote). Document words, not chat words: plain text,
// formal written register, no emoji; escaping is the renderers' job.
import { formatNumberVi } from "../../domain/number.ts";
import { formatPeriodVi } from "../../domain/period.ts";
import type { PeriodRef } from "../../domain/types.ts";

const roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"];
/** 1 → "I" … 15 → "XV" (section numbers of the document) */
export const sectionNumber = (n: number) => roman[n - 1] ?? String(n);
const num = (n: number) => formatNumberVi(n);

export const briefing = {
  kind: "BÁO CÁO",
  subject: (ref: PeriodRef) => [`tổng hợp kết quả thực hiện các chỉ tiêu thi đua ${formatPeriodVi(ref)}`],
  yearSubject: (year: number) => [`tổng kết thực hiện các chỉ tiêu thi đua năm ${year}`],
  /** the number placeholder the office fills in when the document is registered */
  number: "Số …-BC/…",
  /** when the place of issue is not known, the office writes it in */
  placeUnknown: "……",
  placeDate: (place: string, day: number, month: number, year: number) =>
    `${place}, ngày ${String(day).padStart(2, "0")} tháng ${String(month).padStart(2, "0")} năm ${year}`,
  /** the issuing body when the chair board of the period is not known */
  issuerUnknown: "……",
  fileTitle: (ref: PeriodRef, clusterName: string) => `Báo cáo tổng hợp ${formatPeriodVi(ref)} — ${clusterName}`,
  yearFileTitle: (year: number, clusterName: string) => `Báo cáo tổng kết năm ${year} — ${clusterName}`,

  situation: {
    heading: "TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ",
    total: (total: number, deadline: string) =>
      `Cụm có ${total} đơn vị thành viên. Hạn nộp báo cáo là ${deadline}. Kết quả tiếp nhận báo cáo qua hệ thống như sau:`,
    onTime: (n: number, names: string) => `Nộp đúng hạn (${n} đơn vị): ${names}.`,
    late: (n: number, names: string) => `Nộp muộn (${n} đơn vị): ${names}.`,
    missing: (n: number, names: string) => `Chưa nộp (${n} đơn vị): ${names}.`,
    none: "không có",
    lateAt: (name: string, at: string) => `${name} (nộp lúc ${at})`,
    provisional: (deadline: string) =>
      `Báo cáo được lập trước khi hết hạn nộp (${deadline}); số liệu và xếp hạng dưới đây là tạm tính.`,
    /** the year: each board's record over its quarters */
    yearTotal: (total: number, quarters: string) =>
      `Cụm có ${total} đơn vị thành viên. Việc chấp hành chế độ báo cáo ${quarters} như sau:`,
    yearProvisional: "Quý IV chưa hết hạn nộp; số liệu và xếp hạng năm dưới đây là tạm tính.",
    keyTitle: "Một số kết quả chính của toàn cụm (tổng của các đơn vị đã nộp; chi tiết tại mục II):",
    keyLine: (p: { label: string; value: string; ytd: string | null; plan: string | null; lastYear: string | null }) =>
      `${p.label}: ${p.value}${p.ytd ? `; lũy kế ${p.ytd}` : ""}${p.plan ? `, đạt ${p.plan} kế hoạch năm` : ""}${p.lastYear ? `; cùng kỳ năm trước ${p.lastYear}` : ""}.`,
    withUnit: (value: string, unit: string) => (unit ? `${value} ${unit}` : value),
    recordHeaders: {
      unit: "Đơn vị",
      onTime: "Số quý nộp đúng hạn",
      late: "Số quý nộp muộn",
      missing: "Số quý chưa nộp",
    },
  },

  results: {
    heading: "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
    intro: (ref: PeriodRef) => `Số liệu các đơn vị báo cáo ${formatPeriodVi(ref)}:`,
    yearIntro: (year: number) => `Số liệu các đơn vị báo cáo năm ${year}:`,
    part: (n: number, of: number) => `Bảng ${n}/${of}`,
    stt: "STT",
    unit: "Đơn vị",
    thisPeriod: "Kỳ này",
    header: (label: string, unit: string) => (unit ? `${label} (${unit})` : label),
    /** sub-columns under each indicator */
    figure: {
      value: (ref: PeriodRef) => `Quý ${sectionNumber(ref.quarter)}`,
      yearValue: "Cả năm",
      ytd: "Lũy kế",
      percentOfPlan: "% kế hoạch năm",
      lastYear: "Cùng kỳ",
      yearLastYear: "Năm trước",
    },
    /** what the sub-columns mean, only those shown */
    figuresNote: (p: { ytdFrom: PeriodRef | null; to: PeriodRef; plan: boolean; lastYear: boolean; year: boolean }) =>
      [
        p.year
          ? `Cả năm: số liệu các quý năm ${p.to.year} cộng dồn (chỉ tiêu tỷ lệ: theo cách cộng dồn cụm quy định)`
          : null,
        p.ytdFrom ? `Lũy kế: từ ${formatPeriodVi(p.ytdFrom)} đến hết ${formatPeriodVi(p.to)}` : null,
        p.plan ? `% kế hoạch năm: lũy kế so với kế hoạch năm ${p.to.year} của đơn vị` : null,
        p.lastYear
          ? p.year
            ? `Năm trước: số liệu năm ${p.to.year - 1} đến hết quý ${sectionNumber(p.to.quarter)}`
            : `Cùng kỳ: ${formatPeriodVi({ year: p.to.year - 1, quarter: p.to.quarter })}`
          : null,
      ]
        .filter((x): x is string => x !== null)
        .join("; ") + ".",
    total: "Toàn cụm",
    missing: "chưa nộp",
    noValue: "—",
    totalNote:
      "Dòng “Toàn cụm”: chỉ tiêu số lượng là tổng của các đơn vị đã nộp; chỉ tiêu tỷ lệ (%) là bình quân của các đơn vị đã nộp; % kế hoạch của cụm là tổng lũy kế so với tổng kế hoạch của các đơn vị có kế hoạch; “—”: không có số liệu.",
    percent: (formatted: string) => `${formatted}%`,
  },

  texts: {
    nobody: "Không có đơn vị nào nêu nội dung này.",
    /** the headings of the sections the cluster file maps text indicators to (`section:`) */
    sections: { highlights: "Kết quả nổi bật", difficulties: "Khó khăn, kiến nghị" },
  },

  ranking: {
    heading: "KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
    rank: "Hạng",
    unit: "Đơn vị",
    score: "Tổng điểm",
    previous: (ref: PeriodRef | null) => (ref ? `So với ${formatPeriodVi(ref)}` : "So với kỳ trước"),
    previousYear: (year: number) => `So với năm ${year}`,
    status: "Tình trạng báo cáo",
    statusText: { on_time: "Đúng hạn", late: "Nộp muộn", not_submitted: "Chưa nộp" } as Record<string, string>,
    up: (n: number) => `tăng ${n} bậc`,
    down: (n: number) => `giảm ${n} bậc`,
    same: "giữ nguyên",
    notRanked: "—",
    scoreValue: (n: number) => num(n),
    method: "Phương pháp chấm điểm:",
    record: (onTime: number, quarters: number) => `Đúng hạn ${onTime}/${quarters} quý`,
    nobody: "Chưa có đơn vị nào nộp báo cáo nên chưa xếp hạng.",
  },

  signature: {
    authority: "T/M CỤM TRƯỞNG",
    /** the signer's position when the cluster file names none (`cluster.signer.position`) */
    chairPosition: "CỤM TRƯỞNG",
    nameUnknown: "……",
  },
  recipientsTitle: "Nơi nhận:",
  recipients: ["Các đơn vị thành viên Cụm,", "Lưu Văn phòng."],
} as const;

/** The chart's words beyond vi.summary.chart. */
export const chart = {
  footnote: (generated: string) => `Nguồn: báo cáo của các đơn vị gửi qua bot của cụm; số liệu lập lúc ${generated}.`,
  page: (n: number, of: number, from: number, to: number, total: number) =>
    `Hình ${n}/${of}: đơn vị thứ ${from}–${to} trên ${formatNumberVi(total)}`,
} as const;

/** The spreadsheet's words beyond the column headers of vi.summary.xlsx. */
export const workbook = {
  /** the lines above every sheet's table */
  titleLines: (p: { ref: PeriodRef; sheet: string; clusterName: string; generated: string; provisional: boolean }) => [
    `${p.sheet.toUpperCase()} — ${formatPeriodVi(p.ref).toUpperCase()}`,
    p.clusterName,
    `Lập lúc ${p.generated}${p.provisional ? "; chưa hết hạn nộp, kết quả tạm tính" : ""}.`,
  ],
  total: "Toàn cụm",
  figures: {
    sheet: "Lũy kế, kế hoạch",
    header: (indicator: string, figure: string) => `${indicator}: ${figure}`,
    value: (ref: PeriodRef) => `quý ${sectionNumber(ref.quarter)}`,
    yearValue: "cả năm",
    ytd: "lũy kế",
    percentOfPlan: "% kế hoạch năm",
    lastYear: "cùng kỳ năm trước",
    yearLastYear: "năm trước",
  },
  technical: {
    sheet: "Mã (kỹ thuật)",
    kind: "Loại",
    code: "Mã",
    name: "Tên",
    detail: "Ghi chú",
    cluster: "Cụm",
    board: "Đơn vị",
    indicator: "Chỉ tiêu",
    kindText: { integer: "số nguyên", decimal: "số thập phân", percent: "tỷ lệ (%)", text: "văn bản" } as Record<
      string,
      string
    >,
  },
} as const;
