// What people read in summaries (/tongket, the scheduled group post, /lichsu): the
// ranking, the year, the method a chair reads aloud, the chart and spreadsheet captions.
// Formal register; every dynamic value escaped (messages go out with parse_mode "HTML").
import { formatNumberVi } from "../../domain/number.ts";
import { formatPeriodVi } from "../../domain/period.ts";
import type { PeriodRef } from "../../domain/types.ts";
import { b, esc } from "../html.ts";

const period = (ref: PeriodRef) => formatPeriodVi(ref);
const num = (n: number) => formatNumberVi(n);

const medal: Record<number, string> = { 1: "🥇", 2: "🥈", 3: "🥉" };
const keyMarks = ["①", "②", "③", "④", "⑤"];
const romanQuarter = ["I", "II", "III", "IV"];
/** "+2,5", "−1,25", "±0" */
const signedNum = (n: number) => (n > 0 ? `+${num(n)}` : n < 0 ? `−${num(-n)}` : "±0");
/** "III/2026" */
const shortPeriod = (ref: PeriodRef) => `${romanQuarter[ref.quarter - 1]}/${ref.year}`;

interface MethodNote {
  indicators: { label: string; better: "higher" | "lower"; basis: "best" | "target" | "plan" }[];
  onTimeWeight: number;
  maxScore: number;
  /** relative-to-plan: the cap in percent */
  cap: number | null;
}

/** A percentage as people read it: "84,5%". */
const pct = (n: number) => `${num(n)}%`;
/** "▲12,5%", "▼3%", "=" */
const change = (n: number) => (n > 0 ? `▲${pct(n)}` : n < 0 ? `▼${pct(-n)}` : "=");

/** The per-indicator formula, in words a chair can read aloud. */
function methodBase(d: MethodNote): string {
  if (d.indicators.some((x) => x.basis === "plan")) {
    const cap = d.cap ?? 100;
    const capPart = cap > 100 ? `, tính tối đa ${num(cap)}% kế hoạch` : ", không vượt trọng số";
    return `trọng số × lũy kế từ đầu năm ÷ kế hoạch năm được giao của chính đơn vị${capPart}; đơn vị chưa được giao kế hoạch chỉ tiêu nào thì chỉ tiêu đó không tính, điểm các chỉ tiêu còn lại được quy đổi theo trọng số`;
  }
  const byTarget = d.indicators.some((x) => x.basis === "target");
  const byBest = d.indicators.some((x) => x.basis === "best");
  return !byTarget
    ? "trọng số × giá trị ÷ giá trị tốt nhất trong cụm"
    : byBest
      ? "trọng số × giá trị ÷ mục tiêu của cụm (chỉ tiêu không có mục tiêu: ÷ giá trị tốt nhất trong cụm), không vượt trọng số"
      : "trọng số × giá trị ÷ mục tiêu của cụm, không vượt trọng số";
}

function lowerPart(d: MethodNote): string {
  const lower = d.indicators.filter((x) => x.better === "lower").map((x) => esc(x.label));
  return lower.length > 0 ? `; càng thấp càng tốt (tính ngược): ${lower.join(", ")}` : "";
}

export const summary = {
  title: (ref: PeriodRef, clusterName: string) => `🏆 ${b(`Tổng kết thi đua ${period(ref)}`)}\n${esc(clusterName)}`,
  provisional: (deadline: string) => `⏳ Chưa hết hạn nộp (${esc(deadline)}): kết quả tạm tính.`,
  counts: (submitted: number, total: number, late: number) =>
    `Đã nộp: ${b(`${submitted}/${total}`)} đơn vị${late > 0 ? `, trong đó ${late} nộp muộn` : ""}.`,
  compared: (previous: PeriodRef | null) =>
    previous ? `▲▼ là thay đổi hạng và điểm so với ${period(previous)}.` : "Chưa có kỳ trước để so sánh.",
  comparedYear: (previous: number) => `▲▼ là thay đổi hạng và điểm so với năm ${previous}.`,
  keyMark: (n: number) => keyMarks[n] ?? `(${n + 1})`,
  keyLegend: (items: { label: string; unit: string }[]) =>
    `Số liệu chính: ${items
      .map((it, n) => `${keyMarks[n] ?? `(${n + 1})`} ${esc(it.label)}${it.unit ? ` (${esc(it.unit)})` : ""}`)
      .join("; ")}.`,
  noValue: "—",
  percentValue: (formatted: string) => `${formatted}%`,
  rankedLine: (p: {
    rank: number;
    shortName: string;
    score: number;
    rankDelta: number | null;
    scoreDelta: number | null;
    late: boolean;
    /** the year: the on-time record ("đúng hạn 3/4 quý"), shown before the figures */
    record?: string | undefined;
    /** already formatted values, in key-indicator order */
    figures: string[];
  }) => {
    const head = medal[p.rank] ? `${medal[p.rank]} ${b(p.shortName)}` : `${p.rank}. ${esc(p.shortName)}`;
    const rankMove =
      p.rankDelta === null ? "" : p.rankDelta > 0 ? `▲${p.rankDelta}` : p.rankDelta < 0 ? `▼${-p.rankDelta}` : "=";
    const scoreMove = p.scoreDelta === null ? "" : `(${signedNum(p.scoreDelta)})`;
    const move = [rankMove, scoreMove].filter(Boolean).join(" ");
    const figures = p.figures.map((f, n) => ` · ${keyMarks[n] ?? `(${n + 1})`} ${esc(f)}`).join("");
    const record = p.record ? ` · ${esc(p.record)}` : "";
    return `${head} — ${b(num(p.score))} điểm${move ? ` ${move}` : ""}${p.late ? " ⏰ nộp muộn" : ""}${record}${figures}`;
  },
  missingTitle: (n: number) => b(`Chưa nộp (${n}):`),
  missingLine: (shortName: string) => `⬜ ${esc(shortName)} — chưa nộp`,
  nobodySubmitted: "Chưa đơn vị nào nộp báo cáo kỳ này.",
  method: (d: MethodNote) => {
    if (d.indicators.length === 0) {
      return d.onTimeWeight > 0
        ? `ℹ️ Cách tính: chỉ tính điểm nộp đúng hạn (${num(d.onTimeWeight)} điểm).`
        : "ℹ️ Cách tính: kỳ này không có chỉ tiêu tính điểm.";
    }
    const onTime = d.onTimeWeight > 0 ? `; nộp đúng hạn +${num(d.onTimeWeight)} điểm` : "";
    return `ℹ️ Cách tính: điểm mỗi chỉ tiêu = ${methodBase(d)}${lowerPart(d)}${onTime}; tối đa ${num(d.maxScore)} điểm.`;
  },
  /** The year's method: by plan over the whole year, or the quarters' scores averaged. */
  yearMethod: (d: MethodNote, basis: "plan" | "quarters", year: number, quarters: number) => {
    if (basis === "plan") {
      const onTime =
        d.onTimeWeight > 0
          ? `; chấp hành chế độ báo cáo: ${num(d.onTimeWeight)} điểm × số quý nộp đúng hạn ÷ ${quarters} quý`
          : "";
      return `ℹ️ Cách tính năm ${year}: điểm mỗi chỉ tiêu = ${methodBase(d)}${lowerPart(d)}${onTime}; tối đa ${num(d.maxScore)} điểm.`;
    }
    return (
      `ℹ️ Cách tính năm ${year}: điểm năm = trung bình cộng điểm của ${quarters} quý (quý không nộp tính 0 điểm); ` +
      `điểm mỗi quý = ${methodBase(d)}${lowerPart(d)}${d.onTimeWeight > 0 ? `, nộp đúng hạn +${num(d.onTimeWeight)} điểm` : ""}.`
    );
  },
  yearTitle: (year: number, quarters: PeriodRef[], clusterName: string) =>
    `🏆 ${b(`Tổng kết thi đua năm ${year}`)}${quarters.length > 0 && quarters.length < 4 ? ` (${quarters.map((q) => `quý ${romanQuarter[q.quarter - 1]}`).join(", ")})` : ""}\n${esc(clusterName)}`,
  yearProvisional: "⏳ Năm chưa kết thúc (quý IV chưa hết hạn nộp): kết quả tạm tính.",
  /** how the figures beside each board read */
  figuresLegend: (p: {
    ytdFrom: PeriodRef | null;
    ytdTo: PeriodRef;
    lastYear: PeriodRef | null;
    plans: boolean;
    year: boolean;
  }) => {
    const parts: string[] = [];
    if (!p.year && p.ytdFrom) parts.push(`lũy kế từ ${period(p.ytdFrom)} đến ${period(p.ytdTo)}`);
    if (p.plans) parts.push("% kế hoạch năm (KH)");
    if (p.lastYear)
      parts.push(`▲▼ so với cùng kỳ (${p.year ? `lũy kế đến ${period(p.lastYear)}` : period(p.lastYear)})`);
    return parts.length > 0 ? `Trong ngoặc: ${parts.join("; ")}.` : "";
  },
  /** What goes in brackets after a figure: "lũy kế 4.200, 84% KH, ▲12%" ("" when nothing is known). */
  figureNote: (p: { ytd: string | null; percentOfPlan: number | null; lastYearChange: number | null }) => {
    const parts: string[] = [];
    if (p.ytd !== null) parts.push(`lũy kế ${esc(p.ytd)}`);
    if (p.percentOfPlan !== null) parts.push(`${pct(p.percentOfPlan)} KH`);
    if (p.lastYearChange !== null) parts.push(change(p.lastYearChange));
    return parts.join(", ");
  },
  /** the year: on-time record, "đúng hạn 3/4 quý" */
  record: (onTime: number, quarters: number) => `đúng hạn ${onTime}/${quarters} quý`,
  missingPlansTitle: b(
    "Chưa được giao kế hoạch (chỉ tiêu đó không tính điểm, các chỉ tiêu còn lại quy đổi theo trọng số):",
  ),
  missingPlansLine: (shortName: string, labels: string[]) => `⚠️ ${esc(shortName)}: ${labels.map(esc).join(", ")}`,
  notTakingPartTitle: (n: number) => b(`Không tham gia kỳ này (${n}):`),
  notTakingPartLine: (shortName: string) => `▫️ ${esc(shortName)} — gia nhập cụm sau khi kỳ báo cáo đã mở`,
  details: {
    title: "Số liệu chi tiết từng đơn vị",
    boardHeader: (shortName: string, rank: number | null, score: number | null, status: string) =>
      `${b(shortName)} — ${rank === null || score === null ? esc(status) : `hạng ${rank}, ${num(score)} điểm, ${esc(status)}`}`,
    valueLine: (label: string, value: string, unit: string, note = "") =>
      `  • ${esc(label)}: ${esc(value)}${unit && value !== "—" ? ` ${esc(unit)}` : ""}${note ? ` (${note})` : ""}`,
  },
  statusText: {
    on_time: "đúng hạn",
    late: "nộp muộn",
    not_submitted: "chưa nộp",
    not_participating: "không tham gia kỳ này",
  } as Record<string, string>,

  photoCaption: (ref: PeriodRef, clusterName: string) => `📊 Điểm thi đua ${period(ref)} — ${esc(clusterName)}`,
  documentCaption: (ref: PeriodRef) =>
    `📎 Bảng tổng hợp ${period(ref)}: xếp hạng, số liệu, điểm từng chỉ tiêu, xu hướng 4 quý và cách tính.`,
  briefingCaption: (ref: PeriodRef) =>
    `📄 Dự thảo báo cáo tổng hợp ${period(ref)} theo thể thức văn bản của Đảng (Word).`,
  /** a file the render worker could not make (it ran out of memory on a very large cluster) */
  fileFailed: (name: string) =>
    `⚠️ Chưa tạo được tệp ${esc(name)}: dữ liệu quá lớn. Số liệu đầy đủ có trong bảng tính tổng hợp (.xlsx) gửi kèm.`,
  /** ASCII file names without extension */
  fileBase: (clusterCode: string, ref: PeriodRef) => `tong-ket-${clusterCode}-${ref.year}-Q${ref.quarter}`,
  briefingBase: (clusterCode: string, ref: PeriodRef) => `bao-cao-${clusterCode}-${ref.year}-Q${ref.quarter}`,
  yearPhotoCaption: (year: number, clusterName: string) => `📊 Điểm thi đua năm ${year} — ${esc(clusterName)}`,
  yearDocumentCaption: (year: number) =>
    `📎 Bảng tổng hợp năm ${year}: xếp hạng, lũy kế, % kế hoạch, điểm từng chỉ tiêu, các quý và cách tính.`,
  yearFileBase: (clusterCode: string, year: number) => `tong-ket-${clusterCode}-${year}`,
  yearBriefingCaption: (year: number) =>
    `📄 Dự thảo báo cáo tổng kết năm ${year} theo thể thức văn bản của Đảng (Word).`,
  yearBriefingBase: (clusterCode: string, year: number) => `bao-cao-${clusterCode}-${year}`,

  chart: {
    title: (ref: PeriodRef) => `Tổng kết thi đua ${formatPeriodVi(ref)}`,
    yearTitle: (year: number) => `Tổng kết thi đua năm ${year}`,
    counts: (submitted: number, total: number, late: number) =>
      `Đã nộp ${submitted}/${total} đơn vị${late > 0 ? ` (${late} nộp muộn)` : ""}`,
    provisional: "kết quả tạm tính",
    top: (shown: number, total: number) =>
      `${shown} đơn vị dẫn đầu trên ${formatNumberVi(total)}; xem đủ trong tệp Excel`,
    axis: (maxScore: number) => `Điểm (tối đa ${formatNumberVi(maxScore)})`,
    missing: "chưa nộp",
    late: "nộp muộn",
    legendLate: "⏰ = nộp muộn",
  },

  xlsx: {
    title: (ref: PeriodRef, clusterName: string) => `Tổng kết thi đua ${formatPeriodVi(ref)} — ${clusterName}`,
    yearTitle: (year: number, clusterName: string) => `Tổng kết thi đua năm ${year} — ${clusterName}`,
    sheets: {
      ranking: "Xếp hạng",
      values: "Số liệu",
      points: "Điểm từng chỉ tiêu",
      trend: "Xu hướng 4 quý",
      method: "Cách tính",
    },
    rank: "Hạng",
    code: "Mã",
    shortName: "Đơn vị",
    name: "Tên đầy đủ",
    score: "Điểm",
    previousRank: "Hạng kỳ trước",
    rankDelta: "Tăng/giảm hạng",
    previousScore: "Điểm kỳ trước",
    scoreDelta: "Tăng/giảm điểm",
    status: "Tình trạng",
    submittedAt: "Thời điểm nộp",
    onTime: "Nộp đúng hạn",
    total: "Tổng điểm",
    statusText: {
      on_time: "Đúng hạn",
      late: "Nộp muộn",
      not_submitted: "Chưa nộp",
      not_participating: "Không tham gia kỳ này",
    } as Record<string, string>,
    valueHeader: (label: string, unit: string) => (unit ? `${label} (${unit})` : label),
    pointsHeader: (label: string, weight: number) => `${label} (trọng số ${formatNumberVi(weight)})`,
    trendScore: (ref: PeriodRef) => `Điểm ${formatPeriodVi(ref)}`,
    trendRank: (ref: PeriodRef) => `Hạng ${formatPeriodVi(ref)}`,
    methodHeaders: {
      item: "Nội dung",
      code: "Mã",
      unit: "Đơn vị tính",
      weight: "Trọng số",
      better: "Tốt hơn khi",
      basis: "So sánh với",
      target: "Kế hoạch",
    },
    better: { higher: "cao hơn", lower: "thấp hơn" } as Record<string, string>,
    basis: {
      best: "giá trị tốt nhất trong cụm",
      target: "mục tiêu của cụm",
      plan: "kế hoạch năm của đơn vị (lũy kế)",
    } as Record<string, string>,
    onTimeRow: "Nộp báo cáo đúng hạn",
    maxRow: "Điểm tối đa",
    clusterRow: "Cụm",
    periodRow: "Kỳ báo cáo",
    generatedRow: "Lập lúc",
  },

  refused: "Đồng chí không có quyền xem tổng kết của cụm này ở đây.",
  chooseCluster: "Đồng chí tham gia nhiều cụm. Đề nghị gõ /chon để chọn cụm trước khi xem tổng kết.",
  secretaryWait: (ref: PeriodRef, deadline: string) =>
    `Kết quả ${period(ref)} sẽ xem được sau khi hết hạn nộp báo cáo (${esc(deadline)}). ` +
    "Trong lúc chờ, đồng chí gõ /lichsu để xem số liệu của đơn vị.",
  notOpen: (ref: PeriodRef, opens: string) =>
    `Kỳ ${period(ref)} chưa mở (mở lúc ${esc(opens)}), chưa có gì để tổng kết.`,
  noData: (ref: PeriodRef) => `Chưa có dữ liệu cho ${period(ref)}.`,
  noYearData: (year: number) => `Chưa có kỳ báo cáo nào của năm ${year}.`,
  secretaryYearWait: (year: number) =>
    `Kết quả năm ${year} sẽ xem được sau khi hết hạn nộp báo cáo quý IV/${year}. Trong lúc chờ, đồng chí gõ /lichsu để xem số liệu của đơn vị.`,

  history: {
    notSecretary: "Lệnh /lichsu dành cho thư ký: xem số liệu của đơn vị trong 4 quý gần nhất.",
    title: (shortName: string) => `📈 ${b(`Số liệu 4 quý gần nhất — ${shortName}`)}`,
    none: "Chưa có kỳ báo cáo nào.",
    shortPeriod,
    state: (ref: PeriodRef, state: "submitted" | "draft" | "missing", late: boolean) =>
      `${shortPeriod(ref)} ${state === "submitted" ? (late ? "⏰ nộp muộn" : "✅ đã nộp") : state === "draft" ? "✏️ đang nhập" : "⬜ chưa nộp"}`,
    statesLine: (parts: string[]) => `Tình trạng: ${parts.join(" · ")}`,
    standing: (ref: PeriodRef, rank: number | null, ranked: number, score: number | null) =>
      rank === null || score === null
        ? `${shortPeriod(ref)}: không xếp hạng`
        : `${shortPeriod(ref)}: hạng ${b(`${rank}/${ranked}`)} (${num(score)} điểm)`,
    standingsLine: (parts: string[]) => `Xếp hạng: ${parts.join(" · ")}`,
    standingNote: "Hạng của một quý chỉ hiện khi quý đó đã hết hạn nộp.",
    indicatorTitle: (n: number, label: string, unit: string) =>
      `${b(`${n}. ${label}`)}${unit ? ` (${esc(unit)})` : ""}`,
    valuesLine: (cells: { ref: PeriodRef; value: string }[]) =>
      cells.map((c) => `${shortPeriod(c.ref)}: ${b(c.value)}`).join(" · "),
  },
};
