// Everything a chat user reads, in Vietnamese. Handlers and scenes never assemble
// user-facing strings themselves; they call these functions. All dynamic values
// are HTML-escaped here (messages are sent with parse_mode "HTML").
import { formatNumberVi } from "../../domain/number.ts";
import { formatPeriodVi } from "../../domain/period.ts";
import type { InputError, PeriodError, PeriodRef, Role } from "../../domain/types.ts";
import { type DayOff, type Weekday, weekdayOf } from "../../domain/workdays.ts";
import { instantToZonedParts, type LocalDate } from "../../domain/zoned-time.ts";
import { b, esc, i } from "../html.ts";

export { approval, invitations, members } from "./vi-members.ts";
export { summary } from "./vi-summary.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** "17:00 ngày 05/10/2026" on the wall clock of the cluster. */
export function dateTime(at: Date | number, tz: string): string {
  const p = instantToZonedParts(new Date(at), tz);
  return `${pad(p.hour)}:${pad(p.minute)} ngày ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** "còn 3 ngày 4 giờ" / "còn 25 phút" / "đã quá hạn 2 giờ". */
export function timeLeft(deadline: Date | number, now: Date | number): string {
  const ms = new Date(deadline).getTime() - new Date(now).getTime();
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const parts =
    days > 0
      ? [`${days} ngày`, hours > 0 ? `${hours} giờ` : ""]
      : hours > 0
        ? [`${hours} giờ`, minutes > 0 ? `${minutes} phút` : ""]
        : [`${Math.max(minutes, ms >= 0 ? 1 : 0)} phút`];
  const text = parts.filter(Boolean).join(" ");
  return ms >= 0 ? `còn ${text}` : `đã quá hạn ${text}`;
}

const WEEKDAY_NAME: Record<Weekday, string> = {
  sun: "Chủ nhật",
  mon: "thứ Hai",
  tue: "thứ Ba",
  wed: "thứ Tư",
  thu: "thứ Năm",
  fri: "thứ Sáu",
  sat: "thứ Bảy",
};

/** "01/07/2026": a calendar day (no time, no zone). */
export const localDate = (d: LocalDate) => `${pad(d.day)}/${pad(d.month)}/${d.year}`;

/** "thứ Bảy 03/10/2026" on the wall clock of the cluster. */
export function dayWithWeekday(at: Date | number, tz: string): string {
  const p = instantToZonedParts(new Date(at), tz);
  return `${WEEKDAY_NAME[weekdayOf(p)]} ${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** Why a day is not worked, as a clerk writes it. */
export function dayOffText(reason: DayOff): string {
  switch (reason.kind) {
    case "weekend":
      return "ngày nghỉ cuối tuần";
    case "holiday":
      return `ngày nghỉ lễ, Tết: ${esc(reason.name)}`;
    case "compensatory":
      return `ngày nghỉ bù ${esc(reason.name)}`;
    default:
      return "ngày nghỉ theo thông báo của năm";
  }
}

/** " (dời từ thứ Bảy 03/10/2026 do trùng ngày nghỉ cuối tuần)" after a date that working days moved. */
export const movedFrom = (from: Date, tz: string, reason: DayOff) =>
  ` (dời từ ${dayWithWeekday(from, tz)} do trùng ${dayOffText(reason)})`;

export const period = (ref: PeriodRef) => formatPeriodVi(ref);

/** What a submission after the deadline means, said wherever the deadline has passed. */
const LATE_FROM_NOW = "Báo cáo nộp từ bây giờ được ghi nhận là nộp muộn.";

/** Until when a submitted report can be corrected (the deadline or an unlock's end); null: it is locked. */
const correctHint = (until: string | null) =>
  until
    ? `Nếu cần sửa, gõ /baocao trước ${esc(until)}.`
    : "Đã quá hạn nộp: muốn sửa, đề nghị cụm trưởng hoặc cụm phó mở khóa.";
export const num = (n: number) => formatNumberVi(n);

export const roleName: Record<Role, string> = {
  chair: "cụm trưởng",
  deputy: "cụm phó",
  secretary: "thư ký",
  leader: "lãnh đạo ban",
};

export const commands = {
  start: "Bắt đầu, xem việc cần làm",
  baocao: "Nhập hoặc sửa báo cáo quý",
  lichsu: "Số liệu của đơn vị trong 4 quý gần nhất",
  trangthai: "Tình hình nộp báo cáo",
  tongket: "Tổng kết, xếp hạng thi đua",
  nhacnho: "Nhắc các đơn vị chưa nộp",
  mokhoa: "Mở khóa báo cáo đã nộp để đơn vị sửa sau hạn",
  moi: "Tạo lời mời tham gia cụm",
  thanhvien: "Thành viên và lời mời của cụm",
  duyet: "Báo cáo của đơn vị đang chờ duyệt",
  lich: "Dời một mốc thời gian của kỳ báo cáo",
  ketnoi: "Kết nối nhóm này làm nhóm của cụm",
  chon: "Chọn cụm làm việc (khi tham gia nhiều cụm)",
  huy: "Tạm dừng việc đang làm",
  trogiup: "Hướng dẫn sử dụng",
  help: "Hướng dẫn sử dụng",
} as const;

export const common = {
  refused: "Đồng chí không có quyền dùng lệnh này ở đây.",
  stranger:
    "Kính chào đồng chí. Đây là bot báo cáo thi đua của các cụm thi đua. Đồng chí chưa tham gia cụm nào. " +
    "Đề nghị đồng chí liên hệ cụm trưởng để nhận đường liên kết mời, rồi bấm vào đó để bắt đầu.",
  privateOnly: "Lệnh này chỉ dùng trong trò chuyện riêng với bot.",
  saveFailed:
    "⚠️ Không lưu được do lỗi hệ thống. Câu trả lời trước đó vẫn được giữ nguyên. Vui lòng gửi lại sau ít phút.",
  internalError: "⚠️ Đã có lỗi xảy ra. Dữ liệu đã lưu không bị mất. Vui lòng thử lại sau ít phút.",
  staleButton: "Nút này đã cũ, vui lòng dùng tin nhắn mới nhất.",
  unknownText: "Bot chưa hiểu tin nhắn này. Đồng chí gõ /trogiup để xem các lệnh.",
  sessionExpired: "Phiên nhập liệu trước đã hết hạn. Các câu trả lời đã lưu vẫn còn nguyên — gõ /baocao để tiếp tục.",
  noAttachments: "Bot không nhận ảnh, tệp hay nhãn dán. Vui lòng gõ câu trả lời bằng chữ hoặc số.",
  noForwards: "Bot không nhận tin nhắn chuyển tiếp làm câu trả lời. Đề nghị đồng chí gõ trực tiếp số liệu.",
  noEdits:
    "Bot không nhận tin nhắn đã sửa; câu trả lời đã lưu giữ nguyên. Muốn sửa, đồng chí gõ lại giá trị đúng (hoặc bấm “Quay lại”).",
  chooseCluster: "Đồng chí tham gia nhiều cụm. Đề nghị chọn cụm làm việc:",
  clusterChosen: (name: string) => `Đang làm việc với ${b(name)}.`,
  cancelledNothing: "Hiện không có việc gì đang dở.",
};

export const start = {
  greeting: (firstName: string, clusterName: string, roles: Role[], boardName: string | null) =>
    [
      `Kính chào đồng chí ${esc(firstName)}.`,
      `Đồng chí là ${roles.map((r) => roleName[r]).join(", ")} của ${b(clusterName)}${boardName ? ` — ${esc(boardName)}` : ""}.`,
    ].join("\n"),
  dueReport: (ref: PeriodRef, deadline: string, left: string, missing: number, overdue = false) =>
    `📌 Báo cáo ${period(ref)}: hạn nộp ${esc(deadline)} (${esc(left)}), còn ${missing} chỉ tiêu chưa nhập. Gõ /baocao để nhập.` +
    (overdue ? ` ${LATE_FROM_NOW}` : ""),
  /** `correctUntil`: the deadline, or the end of an unlock; null once locked */
  submittedReport: (ref: PeriodRef, at: string, correctUntil: string | null) =>
    `✅ Báo cáo ${period(ref)} đã nộp lúc ${esc(at)}. ${correctHint(correctUntil)}`,
  nothingOpen: "Hiện chưa có kỳ báo cáo nào đang mở.",
  nextOpens: (ref: PeriodRef, opens: string) =>
    `Hiện chưa có kỳ báo cáo nào đang mở. Kỳ ${period(ref)} sẽ mở lúc ${esc(opens)}.`,
  chairHint: "Gõ /trangthai để xem đơn vị nào đã nộp, /moi để mời thư ký.",
  joined: (role: Role, clusterName: string, boardName: string | null) =>
    `🎉 Đồng chí đã tham gia ${b(clusterName)} với vai trò ${b(roleName[role])}${boardName ? ` của ${b(boardName)}` : ""}.`,
  alreadyMember: (role: Role, clusterName: string) =>
    `Đồng chí đã là ${roleName[role]} của ${b(clusterName)} từ trước; không có gì thay đổi.`,
  invitationUnknown:
    "Đường liên kết mời không hợp lệ. Đề nghị đồng chí kiểm tra lại hoặc liên hệ cụm trưởng để nhận đường liên kết mới.",
  invitationUsed:
    "Đường liên kết mời này đã được dùng. Mỗi lời mời chỉ dùng được một lần; đề nghị đồng chí liên hệ cụm trưởng để nhận lời mời mới.",
  invitationExpired: "Đường liên kết mời đã hết hạn. Đề nghị đồng chí liên hệ cụm trưởng để nhận lời mời mới.",
  invitationSlowDown: "Đồng chí đã thử quá nhiều lời mời không hợp lệ. Đề nghị đợi vài phút rồi thử lại.",
};

export const help = {
  title: "📖 <b>Hướng dẫn</b>",
  stranger: common.stranger,
  /** one line per command, shown to those the command table (src/bot/commands.ts) lets use it */
  line: {
    start: "/start — bắt đầu, xem việc cần làm",
    baocao: "/baocao — nhập báo cáo quý (mỗi câu trả lời được lưu ngay; có thể tạm dừng và quay lại)",
    lichsu: "/lichsu — số liệu của đơn vị trong 4 quý gần nhất",
    trangthai: "/trangthai [quý] — đơn vị nào đã nộp, chưa nộp, hạn nộp còn bao lâu",
    tongket: "/tongket [quý | năm] — tổng kết, xếp hạng (thư ký xem được sau hạn nộp)",
    nhacnho: "/nhacnho — nhắc ngay các đơn vị chưa nộp",
    mokhoa: "/mokhoa &lt;mã đơn vị&gt; [quý] [số giờ] — cho một đơn vị sửa báo cáo đã nộp sau hạn",
    moi: "/moi &lt;mã đơn vị&gt; | cumpho | cumtruong — tạo lời mời (ví dụ: /moi HN, /moi cumpho)",
    thanhvien: "/thanhvien — thành viên của cụm và lời mời chưa dùng; xóa thành viên, hủy lời mời",
    duyet: "/duyet — (lãnh đạo ban) báo cáo của đơn vị đang chờ duyệt: duyệt, hoặc trả lại kèm lý do",
    lich: "/lich &lt;quý&gt; &lt;mốc&gt; &lt;ngày giờ&gt; — dời một mốc: mo, hannop, giaoban, tongket (ví dụ: /lich Q3 hannop 07/10/2026 17:00)",
    ketnoi: "/ketnoi — (gửi trong nhóm) kết nối nhóm làm nhóm của cụm, nơi đăng tổng kết",
    chon: "/chon — chọn cụm làm việc khi đồng chí tham gia nhiều cụm",
    huy: "/huy — tạm dừng việc đang làm, dữ liệu đã nhập vẫn giữ",
    trogiup: "/trogiup — hướng dẫn này",
    help: "/help — hướng dẫn này",
  } satisfies Record<keyof typeof commands, string>,
  inputHints:
    "Cách nhập số: 1.234 (dấu chấm ngăn cách hàng nghìn), 1,5 (dấu phẩy thập phân), có thể kèm đơn vị như “12 người”.",
  periodHint: "Kỳ báo cáo có thể viết: Q3, 3, III, quý 3, Q3/2026, 2026-Q3.",
};

const inputErrorText: Record<InputError["code"], (p: Record<string, string | number>) => string> = {
  empty: () => "Chưa có nội dung trả lời.",
  not_a_number: () => "Đây không phải là một số.",
  words_not_supported: () => "Bot chưa đọc được số viết bằng chữ. Vui lòng nhập bằng chữ số, ví dụ 12.",
  negative: () => "Số liệu không được là số âm.",
  decimal_for_count: () =>
    "Chỉ tiêu này là số nguyên. Lưu ý: dấu phẩy là dấu thập phân (1,5), dấu chấm ngăn cách hàng nghìn (1.234).",
  too_large: () => "Số quá lớn, vui lòng kiểm tra lại.",
  too_many_digits: () => "Số có quá nhiều chữ số, vui lòng kiểm tra lại.",
  below_min: (p) => `Giá trị phải từ ${esc(fmtParam(p.min))} trở lên.`,
  above_max: (p) => `Giá trị không được vượt quá ${esc(fmtParam(p.max))}.`,
  percent_out_of_range: () => "Tỷ lệ phần trăm phải nằm trong khoảng 0–100.",
  ambiguous_separator: () =>
    "Không rõ cách viết số. Dùng dấu chấm cho hàng nghìn (1.234) và dấu phẩy cho phần thập phân (1,5).",
  text_too_long: (p) => `Nội dung quá dài (tối đa ${esc(fmtParam(p.max))} ký tự).`,
  text_forbidden_chars: () => "Nội dung chứa ký tự không hợp lệ.",
};

function fmtParam(v: string | number | undefined): string {
  return typeof v === "number" ? num(v) : String(v ?? "");
}

export function inputError(e: InputError): string {
  return `❗ ${inputErrorText[e.code](e.params ?? {})}`;
}

export function periodError(e: PeriodError): string {
  const tail = " Ví dụ: Q3, quý 3, III, Q3/2026, 2026-Q3.";
  switch (e.code) {
    case "bad_quarter":
      return `Quý phải là 1, 2, 3 hoặc 4 (I–IV).${tail}`;
    case "bad_year":
      return `Năm không hợp lệ.${tail}`;
    default:
      return `Không hiểu kỳ báo cáo “${esc(String(e.params?.input ?? ""))}”.${tail}`;
  }
}

export const report = {
  notSecretary:
    "Chỉ thư ký của một đơn vị trong cụm mới nhập báo cáo. Đồng chí gõ /trogiup để xem các việc đồng chí có thể làm.",
  notTakingPart: (ref: PeriodRef) =>
    `Đơn vị của đồng chí gia nhập cụm sau khi kỳ báo cáo ${period(ref)} đã mở, nên không tham gia kỳ này. Đơn vị sẽ báo cáo từ kỳ sau.`,
  noOpenPeriod: (next: PeriodRef | null, opens: string | null) =>
    next && opens
      ? `Hiện chưa có kỳ báo cáo nào đang mở. Kỳ ${period(next)} sẽ mở lúc ${esc(opens)}.`
      : "Hiện chưa có kỳ báo cáo nào đang mở.",
  locked: (ref: PeriodRef, deadline: string) =>
    `🔒 Đã quá hạn nộp báo cáo ${period(ref)} (${esc(deadline)}), báo cáo đã khóa. ` +
    "Nếu cần sửa, hãy đề nghị cụm trưởng hoặc cụm phó mở khóa.",
  header: (p: {
    ref: PeriodRef;
    boardName: string;
    /** the days the figures cover: "01/07/2026", "30/09/2026" */
    dataFrom: string;
    dataTo: string;
    deadline: string;
    left: string;
    /** " (dời từ thứ Bảy …)" when working days moved the deadline, else "" */
    moved: string;
    /** the deadline has passed */
    overdue: boolean;
    total: number;
    answered: number;
    correcting: boolean;
    /** a correction after the deadline, unlocked by the chair until then */
    unlockedUntil: string | null;
  }) =>
    [
      `📋 ${b(`Báo cáo ${period(p.ref)}`)}${p.correcting ? " — sửa báo cáo đã nộp" : ""}`,
      `Đơn vị: ${b(p.boardName)}`,
      `Số liệu tính từ ${esc(p.dataFrom)} đến hết ${esc(p.dataTo)}.`,
      `Hạn nộp: ${esc(p.deadline)} (${esc(p.left)})${p.moved}`,
      p.overdue && !p.correcting ? `⏰ Đã quá hạn nộp. ${LATE_FROM_NOW}` : "",
      p.overdue && p.correcting && p.unlockedUntil
        ? `🔓 Báo cáo đã được mở khóa; đồng chí sửa và nộp lại trước ${esc(p.unlockedUntil)}.`
        : "",
      `Gồm ${p.total} chỉ tiêu${p.answered > 0 ? `, đã nhập ${p.answered}` : ""}. Mỗi câu trả lời được lưu ngay.`,
      "Gõ /huy để tạm dừng; gõ /baocao để tiếp tục bất cứ lúc nào.",
    ]
      .filter(Boolean)
      .join("\n"),
  question: (p: {
    index: number;
    total: number;
    label: string;
    unit: string;
    help?: string | undefined;
    required: boolean;
    kindHint: string;
    previous: string | null;
    current: string | null;
  }) =>
    [
      `${b(`Chỉ tiêu ${p.index + 1}/${p.total}`)}${p.required ? "" : " (không bắt buộc)"}`,
      `${b(p.label)}${p.unit ? ` (${esc(p.unit)})` : ""}`,
      p.help ? i(p.help) : "",
      p.previous !== null ? `Quý trước: ${esc(p.previous)}` : "",
      p.current !== null ? `Đã nhập: ${b(p.current)}` : "",
      `✏️ ${esc(p.kindHint)}`,
    ]
      .filter(Boolean)
      .join("\n"),
  kindHint: {
    integer: "Nhập một số nguyên, ví dụ 12 hoặc 1.234",
    decimal: "Nhập một số, ví dụ 12 hoặc 1,5",
    percent: "Nhập tỷ lệ phần trăm, ví dụ 83,6",
    text: "Nhập nội dung ngắn gọn (không ghi tên người, không nội dung mật)",
  } as const,
  buttons: {
    back: "⬅️ Quay lại",
    skip: "⏭ Bỏ qua",
    keep: "✔️ Giữ nguyên",
    pause: "⏸ Tạm dừng",
    confirmFar: (v: string) => `✅ Đúng, lưu ${v}`,
    retype: "✏️ Nhập lại",
    submit: "✅ Nộp báo cáo",
    resubmit: "✅ Nộp lại báo cáo",
    edit: "✏️ Sửa chỉ tiêu…",
    backToReview: "↩️ Về bảng tổng hợp",
  },
  retry: (error: string) => `${error}\nVui lòng nhập lại.`,
  /** An answer that breaks a rule between indicators: both sides named, with their values. */
  ruleBroken: (
    items: {
      op: "<=" | "<" | ">=" | ">" | "=";
      left: { label: string; value: number };
      right: { label: string; value: number }[];
      constant: number;
    }[],
  ) => {
    const words = {
      "<=": "không được lớn hơn",
      "<": "phải nhỏ hơn",
      ">=": "không được nhỏ hơn",
      ">": "phải lớn hơn",
      "=": "phải bằng",
    };
    const lines = items.map((it) => {
      const terms = it.right.map((r) => `“${esc(r.label)}” (${num(r.value)})`);
      if (it.constant !== 0) terms.push(num(it.constant));
      const total = it.right.reduce((sum, r) => sum + r.value, it.constant);
      const right = terms.length > 1 ? `${terms.join(" + ")} = ${num(total)}` : terms[0];
      return `❗ “${esc(it.left.label)}” (${num(it.left.value)}) ${words[it.op]} ${right}.`;
    });
    return `${lines.join("\n")}\nĐồng chí vui lòng kiểm tra và nhập lại.`;
  },
  farConfirm: (value: string, previous: string) =>
    `⚠️ Giá trị ${b(value)} chênh lệch nhiều so với quý trước (${esc(previous)}). Đề nghị đồng chí xác nhận.`,
  /** the first line of the next question (or of the review) after an answer: the value with its unit */
  saved: (label: string, value: string) => `💾 Đã lưu: ${esc(label)} — ${b(value)}`,
  skipped: (label: string) => `⏭ Đã bỏ qua: ${esc(label)}`,
  cannotSkip: "Chỉ tiêu này bắt buộc, không thể bỏ qua.",
  reviewTitle: (ref: PeriodRef, boardName: string) =>
    `📝 ${b(`Bảng tổng hợp báo cáo ${period(ref)}`)} — ${esc(boardName)}`,
  reviewLine: (n: number, label: string, value: string | null, unit: string) =>
    `${n}. ${esc(label)}: ${value === null ? i("chưa nhập") : b(value)}${value !== null && unit ? ` ${esc(unit)}` : ""}`,
  skippedValue: "bỏ qua",
  reviewFooter: (missingRequired: number) =>
    missingRequired > 0
      ? `Còn ${missingRequired} chỉ tiêu bắt buộc chưa nhập.`
      : "Kiểm tra lại rồi bấm “Nộp báo cáo”. Muốn sửa, bấm “Sửa chỉ tiêu…”.",
  chooseIndicator: "Chọn chỉ tiêu muốn sửa:",
  missingRequired: (n: number) => `Còn ${n} chỉ tiêu bắt buộc chưa nhập, chưa thể nộp.`,
  submitted: (ref: PeriodRef, at: string, late: boolean, revision: number, correctUntil: string | null) =>
    [
      revision > 1
        ? `✅ Đã nộp lại báo cáo ${period(ref)} (lần ${revision}) lúc ${esc(at)}.`
        : `✅ Đã nộp báo cáo ${period(ref)} lúc ${esc(at)}. Cảm ơn đồng chí.`,
      late ? "⏰ Báo cáo được ghi nhận là nộp muộn." : "",
      correctHint(correctUntil),
    ]
      .filter(Boolean)
      .join("\n"),
  submittedByOther: "Báo cáo vừa được một thư ký khác của đơn vị nộp. Bảng tổng hợp dưới đây là bản mới nhất.",
  paused: "⏸ Đã tạm dừng. Các câu trả lời đã lưu; gõ /baocao để tiếp tục.",
  chairNotice: (shortName: string, submitted: number, total: number, late: boolean, revision: number) =>
    revision > 1
      ? `✏️ ${b(shortName)} đã sửa và nộp lại báo cáo (lần ${revision}) — ${submitted}/${total} đơn vị đã nộp.`
      : `📥 ${b(shortName)} đã nộp${late ? " (muộn)" : ""} — ${submitted}/${total} đơn vị.`,
};

export const status = {
  title: (ref: PeriodRef, clusterName: string) => `📊 ${b(`Tình hình báo cáo ${period(ref)}`)}\n${esc(clusterName)}`,
  deadline: (deadline: string, left: string, moved = "") => `Hạn nộp: ${esc(deadline)} (${esc(left)})${moved}`,
  briefing: (at: string, moved = "") => `Giao ban: ${esc(at)}${moved}`,
  counts: (submitted: number, total: number, awaiting = 0) =>
    `Đã nộp: ${b(`${submitted}/${total}`)} đơn vị` +
    (awaiting > 0 ? `, trong đó ${b(String(awaiting))} đơn vị chờ lãnh đạo duyệt (chưa tính vào tổng kết)` : ""),
  awaitingLine: (shortName: string, at: string, late: boolean) =>
    `⏳ ${esc(shortName)} — chờ duyệt (đã nộp ${esc(at)}${late ? ", nộp muộn" : ""})`,
  submittedLine: (shortName: string, at: string, late: boolean) =>
    `✅ ${esc(shortName)} — ${esc(at)}${late ? " (nộp muộn)" : ""}`,
  draftLine: (shortName: string, answered: number, total: number) =>
    `✏️ ${esc(shortName)} — đang nhập ${answered}/${total}`,
  missingLine: (shortName: string) => `⬜ ${esc(shortName)} — chưa nộp`,
  blockedNote: (names: string) =>
    `⚠️ Không gửi được tin cho: ${esc(names)} (đã chặn bot hoặc chưa từng mở trò chuyện với bot).`,
  notOpenYet: (ref: PeriodRef, opens: string, moved = "") =>
    `Kỳ ${period(ref)} chưa mở (mở lúc ${esc(opens)}${moved}).`,
  unknownPeriod: (ref: PeriodRef) => `Chưa có dữ liệu cho ${period(ref)}.`,
};

export const invite = {
  usage:
    "Cách dùng: /moi &lt;mã đơn vị&gt; [thuky|lanhdao] (mời thư ký hoặc lãnh đạo ban), /moi cumpho (mời cụm phó) hoặc /moi cumtruong [mã đơn vị] (bàn giao cụm trưởng cho đơn vị chủ trì mới), ví dụ /moi HN.",
  created: (role: Role, boardName: string | null, link: string, expires: string) =>
    [
      `🔗 Lời mời ${roleName[role]}${boardName ? ` của ${b(boardName)}` : ""} (dùng một lần, hết hạn ${esc(expires)}):`,
      esc(link),
      "Hãy gửi riêng đường liên kết này cho đúng người; không đăng vào nhóm.",
    ].join("\n"),
  unknownBoard: (code: string, codes: string) => `Không có đơn vị mã “${esc(code)}”. Các mã hợp lệ: ${esc(codes)}.`,
  chairOnly: "Chỉ cụm trưởng mới tạo được lời mời.",
};

/** The cluster's group: /ketnoi, an upgrade to a supergroup, the bot removed. */
export const group = {
  inGroupOnly: "Lệnh /ketnoi dùng trong nhóm của cụm: đồng chí thêm bot vào nhóm, rồi gõ /ketnoi trong nhóm đó.",
  chairOnly: "Chỉ cụm trưởng mới kết nối được nhóm của cụm.",
  notLinkedYet:
    "Nhóm này chưa là nhóm của cụm nào. Đồng chí cụm trưởng gõ /ketnoi trong nhóm này để kết nối; tổng kết thi đua sẽ được đăng vào đây.",
  /** the group is another cluster's: which one is not said (the person asking is not of that cluster) */
  otherCluster: "Nhóm này đã là nhóm của một cụm khác. Mỗi nhóm chỉ gắn với một cụm.",
  linkedHere: (clusterName: string) =>
    `✅ Nhóm này đã được kết nối làm nhóm của ${b(clusterName)}. Tổng kết thi đua sẽ được đăng vào đây trước hội nghị giao ban.`,
  alreadyLinked: (clusterName: string) => `Nhóm này đã là nhóm của ${b(clusterName)}; không có gì thay đổi.`,
  linkedToChair: (groupTitle: string, clusterName: string) =>
    `🔗 Đã kết nối nhóm “${esc(groupTitle)}” làm nhóm của ${b(clusterName)}. Tổng kết thi đua sẽ được đăng vào nhóm đó.`,
  removed: (groupTitle: string, clusterName: string) =>
    `⚠️ Bot đã bị xóa khỏi nhóm “${esc(groupTitle)}” của ${b(clusterName)}. ` +
    "Tổng kết thi đua sẽ không đăng được vào nhóm cho tới khi bot được thêm lại; khi đó đồng chí gõ /ketnoi trong nhóm.",
};

export const cancel = {
  done: "Đã dừng. Dữ liệu đã lưu vẫn còn nguyên.",
};

// ── Summary: /tongket, /lichsu and `cli summary` (text, chart and spreadsheet) ──
// The chart and spreadsheet strings are plain text (not HTML): they never go through esc().

/** Scheduled messages (openings, reminders, the deadline list) and the /nhacnho and /lich commands. */
export const reminders = {
  startButton: "📝 Nhập báo cáo",
  opening: (p: { ref: PeriodRef; boardName: string; deadline: string; left: string; total: number }) =>
    [
      `📢 ${b(`Kỳ báo cáo ${period(p.ref)} đã mở`)}`,
      `Đơn vị: ${b(p.boardName)}`,
      `Hạn nộp: ${esc(p.deadline)} (${esc(p.left)})`,
      `Gồm ${p.total} chỉ tiêu. Bấm “Nhập báo cáo” hoặc gõ /baocao để bắt đầu; mỗi câu trả lời được lưu ngay.`,
    ].join("\n"),
  reminder: (p: {
    ref: PeriodRef;
    boardName: string;
    deadline: string;
    left: string;
    missing: number;
    total: number;
    manual: boolean;
  }) =>
    [
      p.manual
        ? `🔔 ${b("Cụm trưởng nhắc nhở")}: báo cáo ${period(p.ref)} của ${b(p.boardName)} chưa nộp.`
        : `⏰ ${b("Nhắc nhở")}: báo cáo ${period(p.ref)} của ${b(p.boardName)} chưa nộp.`,
      `Hạn nộp: ${esc(p.deadline)} (${esc(p.left)})`,
      p.missing > 0
        ? `Còn ${b(`${p.missing}/${p.total}`)} chỉ tiêu chưa nhập.`
        : "Đã nhập đủ các chỉ tiêu, chỉ còn bấm “Nộp báo cáo”.",
      "Bấm “Nhập báo cáo” hoặc gõ /baocao để tiếp tục.",
    ].join("\n"),
  deadlineTitle: (ref: PeriodRef, deadline: string) =>
    `⏰ ${b(`Đã hết hạn nộp báo cáo ${period(ref)}`)} (${esc(deadline)})`,
  deadlineCounts: (submitted: number, total: number) => `Đã nộp: ${b(`${submitted}/${total}`)} đơn vị.`,
  deadlineMissingTitle: "Chưa nộp:",
  deadlineMissingLine: (shortName: string, answered: number, total: number) =>
    answered > 0 ? `✏️ ${esc(shortName)} — đang nhập ${answered}/${total}` : `⬜ ${esc(shortName)} — chưa nộp`,
  deadlineAllIn: (total: number) => `✅ Cả ${total} đơn vị đã nộp đúng hạn.`,
  deadlineFooter: `${LATE_FROM_NOW} Gõ /nhacnho để nhắc các đơn vị chưa nộp.`,
  blockedNotice: (names: string) =>
    `⚠️ Bot không gửi được tin nhắn cho: ${esc(names)} (đã chặn bot hoặc chưa từng mở trò chuyện với bot). Đề nghị liên hệ trực tiếp.`,
  summaryReady: (ref: PeriodRef, clusterName: string) =>
    `📊 ${b(`Tổng kết thi đua ${period(ref)}`)} của ${esc(clusterName)} đã sẵn sàng. ` +
    `Gõ /tongket Q${ref.quarter}/${ref.year} để xem bảng xếp hạng.`,

  groupPostFailed: (ref: PeriodRef, reason: "no_group" | "refused" | "failed") =>
    [
      `⚠️ Chưa đăng được ${b(`tổng kết ${period(ref)}`)} vào nhóm của cụm: ${
        reason === "no_group"
          ? "cụm chưa có nhóm. Đề nghị đồng chí thêm bot vào nhóm của cụm rồi gõ /ketnoi trong nhóm."
          : reason === "refused"
            ? "bot không còn trong nhóm hoặc không được gửi tin. Đề nghị đồng chí thêm lại bot vào nhóm rồi gõ /ketnoi trong nhóm."
            : "lỗi khi gửi tin."
      }`,
      "Bot sẽ tự đăng lại sau ít phút (đến giờ giao ban). Trong lúc chờ, đồng chí có thể gõ /tongket để xem.",
    ].join("\n"),
  groupPostRetried: (ref: PeriodRef) => `✅ Đã đăng ${b(`tổng kết ${period(ref)}`)} vào nhóm của cụm (lần đăng lại).`,

  nhacnho: {
    leaderOnly: "Chỉ cụm trưởng hoặc cụm phó mới dùng được /nhacnho.",
    notOpen: "Hiện chưa có kỳ báo cáo nào đang mở, không có gì để nhắc.",
    quietHours: (from: string, to: string) =>
      `🌙 Đang trong giờ nghỉ (${esc(from)}–${esc(to)}), bot không gửi nhắc nhở lúc này. Vui lòng thử lại sau ${esc(to)}.`,
    allSubmitted: (ref: PeriodRef) => `✅ Tất cả đơn vị đã nộp báo cáo ${period(ref)}, không cần nhắc.`,
    duplicate: "Nhắc nhở vừa được gửi trong phút này; không gửi lại.",
    done: (ref: PeriodRef, reminded: number, boards: number) =>
      `🔔 Đã nhắc ${reminded} thư ký của ${boards} đơn vị chưa nộp báo cáo ${period(ref)}.`,
    notDelivered: (n: number) =>
      `⚠️ ${n} người không nhận được (đã chặn bot, chưa từng mở trò chuyện với bot hoặc lỗi mạng).`,
    noSecretary: (names: string) => `Chưa có thư ký tham gia bot: ${esc(names)}. Gõ /moi &lt;mã đơn vị&gt; để mời.`,
  },

  lich: {
    chairOnly: "Chỉ cụm trưởng mới dời được lịch của kỳ báo cáo.",
    usage:
      "Cách dùng: /lich &lt;quý&gt; &lt;mốc&gt; &lt;ngày giờ&gt;, ví dụ /lich Q3 hannop 07/10/2026 17:00.\n" +
      "Mốc: mo (mở kỳ báo cáo), hannop (hạn nộp), giaoban (hội nghị giao ban), tongket (đăng tổng kết vào nhóm).",
    fieldName: { opens: "thời điểm mở kỳ", deadline: "hạn nộp", briefing: "giao ban", post: "thời điểm đăng tổng kết" },
    badField: (field: string) => `Không có mốc “${esc(field)}”. Chọn một trong: mo, hannop, giaoban, tongket.`,
    badDate: (input: string) =>
      `Không hiểu ngày giờ “${esc(input)}”. Viết theo dạng 07/10/2026 17:00 hoặc 2026-10-07 17:00.`,
    order: (field: string, relation: "before" | "after", other: string, otherAt: string) =>
      `Không dời được: ${esc(field)} phải ${relation === "before" ? "trước" : "sau"} ${esc(other)} (${esc(otherAt)}).`,
    noIndicators: "Cụm chưa có bộ chỉ tiêu, chưa thể tạo kỳ báo cáo.",
    moved: (ref: PeriodRef, field: string, at: string) => `📅 Đã dời ${b(field)} của ${period(ref)} sang ${b(at)}.`,
    nonWorkingDay: (day: string, reason: DayOff) =>
      `⚠️ Lưu ý: ${esc(day)} là ${dayOffText(reason)}. Nếu không chủ ý, đề nghị đồng chí chọn một ngày làm việc.`,
    alreadySent: "Lưu ý: thông báo của mốc cũ đã được gửi trước đó và sẽ không gửi lại.",
  },
};

export const unlock = {
  usage:
    "Cách dùng: /mokhoa &lt;mã đơn vị&gt; [quý] [số giờ], ví dụ /mokhoa HN hoặc /mokhoa HN Q3 24 (mặc định 48 giờ, tối đa 336).",
  /** `pending`: the notice is still on its way to some secretaries (it goes out shortly, from another attempt) */
  done: (shortName: string, ref: PeriodRef, until: string, notified: number, pending: boolean) =>
    `🔓 Đã mở khóa báo cáo ${period(ref)} của ${b(shortName)} đến ${esc(until)}. ` +
    (pending
      ? notified > 0
        ? `Đã báo cho ${notified} thư ký; thông báo tới các thư ký còn lại sẽ được gửi trong ít phút.`
        : "Thông báo tới thư ký của đơn vị sẽ được gửi trong ít phút."
      : notified > 0
        ? `Đã báo cho ${notified} thư ký.`
        : "Chưa báo được cho thư ký nào (chưa có hoặc đã chặn bot)."),
  notSubmitted: (shortName: string, ref: PeriodRef) =>
    `${b(shortName)} chưa nộp báo cáo ${period(ref)}: không có gì để mở khóa. Đơn vị vẫn có thể nộp (muộn) bằng /baocao.`,
  stillOpen: (shortName: string, ref: PeriodRef, deadline: string) =>
    `Báo cáo ${period(ref)} của ${b(shortName)} chưa khóa: thư ký vẫn sửa được đến hạn nộp ${esc(deadline)}.`,
  toSecretary: (ref: PeriodRef, until: string, by: "chair" | "deputy") =>
    `🔓 ${by === "deputy" ? "Cụm phó" : "Cụm trưởng"} đã mở khóa báo cáo ${period(ref)} của đơn vị đồng chí đến ${esc(until)}. Gõ /baocao để sửa và nộp lại.`,
};
