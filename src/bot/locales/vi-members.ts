// What people read about members, invitations, removal, the chair's handover and
// approval (ký duyệt). Formal register ("đồng chí"); every dynamic value escaped.
import { formatPeriodVi } from "../../domain/period.ts";
import type { PeriodRef, Role } from "../../domain/types.ts";
import { b, esc } from "../html.ts";

const ROLE: Record<Role, string> = {
  chair: "cụm trưởng",
  deputy: "cụm phó",
  secretary: "thư ký",
  leader: "lãnh đạo ban",
};

/** "thư ký của Ban Tổ chức Thành ủy Hà Nội", "cụm trưởng" */
export function roleOf(role: Role, boardName: string | null): string {
  const onBoard = role === "secretary" || role === "leader";
  return `${ROLE[role]}${boardName ? (onBoard ? ` của ${b(boardName)}` : ` (${esc(boardName)})`) : ""}`;
}

/** "Nguyễn Thị Lan" from a Telegram profile */
export const personName = (p: { firstName: string; lastName: string | null }) =>
  [p.firstName, p.lastName].filter(Boolean).join(" ");

export const members = {
  title: (clusterName: string, count: number) => `👥 ${b(`Thành viên ${clusterName}`)} (${count} người)`,
  line: (n: number, role: Role, boardName: string | null, name: string, since: string) =>
    `${n}. ${roleOf(role, boardName)} — ${esc(name)} · từ ${esc(since)}`,
  none: "Cụm chưa có thành viên nào.",
  invitationsTitle: "✉️ <b>Lời mời chưa sử dụng</b>",
  invitationLine: (id: number, role: Role, boardName: string | null, expires: string) =>
    `#${id} · ${roleOf(role, boardName)} · hết hạn ${esc(expires)}`,
  noInvitations: "✉️ Không có lời mời nào đang chờ.",
  howTo: "Nút ❌ chấm dứt vai trò của một thành viên, nút 🚫 hủy một lời mời; mỗi việc đều có bước xác nhận.",
  removeButton: (n: number, name: string) => `❌ ${n}. ${name}`,
  cancelButton: (id: number) => `🚫 Hủy lời mời #${id}`,
  confirmRemove: (role: Role, boardName: string | null, name: string) =>
    [
      `Đồng chí xác nhận chấm dứt vai trò ${roleOf(role, boardName)} của đồng chí ${b(name)}?`,
      "Từ tin nhắn tiếp theo, người này không còn xem được số liệu, không nộp báo cáo và không nhận nhắc nhở. Lịch sử báo cáo vẫn được lưu giữ.",
    ].join("\n"),
  confirmCancel: (id: number, role: Role, boardName: string | null) =>
    `Đồng chí xác nhận hủy lời mời #${id} (${roleOf(role, boardName)})? Đường liên kết sẽ không dùng được nữa.`,
  yesRemove: "✅ Xác nhận chấm dứt",
  yesCancel: "✅ Xác nhận hủy",
  no: "↩️ Giữ nguyên",
  kept: "Đã giữ nguyên, không có gì thay đổi.",
  removed: (role: Role, boardName: string | null, name: string, at: string) =>
    `✅ Đã chấm dứt vai trò ${roleOf(role, boardName)} của đồng chí ${b(name)} lúc ${esc(at)}.`,
  noSecretaryLeft: (boardName: string, code: string) =>
    `⚠️ ${b(boardName)} hiện không còn thư ký. Đề nghị đồng chí gõ /moi ${esc(code)} để mời thư ký mới.`,
  chairNotRemovable: "Vai trò cụm trưởng chỉ được chuyển giao bằng lời mời cụm trưởng mới (/moi cumtruong).",
  deputyChairOnly: "Chỉ cụm trưởng mới chấm dứt được vai trò cụm phó.",
  alreadyEnded: "Vai trò này đã được chấm dứt trước đó.",
  cancelled: (id: number) => `✅ Đã hủy lời mời #${id}. Đường liên kết không còn dùng được.`,
  cancelFailed: {
    unknown: "Không tìm thấy lời mời này.",
    used: "Lời mời này đã được sử dụng, không hủy được nữa.",
    expired: "Lời mời này đã hết hạn.",
    cancelled: "Lời mời này đã được hủy trước đó.",
  },
  leaderOnly: "Lệnh này dành cho cụm trưởng và cụm phó.",
  notYourBoard: (code: string) =>
    `Đồng chí không phải thư ký của đơn vị mã “${esc(code)}”. Gõ /baocao để nhập báo cáo của đơn vị đồng chí phụ trách.`,
  /** "[TP.HCM]" before a line of a secretary of several boards */
  boardPrefix: (shortName: string) => `[${esc(shortName)}]`,
  /** a secretary of several boards types /baocao */
  chooseBoard: (boardNames: string[]) =>
    [
      `Đồng chí là thư ký của ${boardNames.length} đơn vị: ${boardNames.map((n) => b(n)).join(", ")}.`,
      "Đề nghị đồng chí chọn đơn vị cần nhập báo cáo:",
    ].join("\n"),
  /** to the person whose role ended, once, at their next message */
  removalNotice: (firstName: string, role: Role, boardName: string | null, clusterName: string, at: string) =>
    [
      `Kính gửi đồng chí ${esc(firstName)},`,
      `vai trò ${roleOf(role, boardName)} của đồng chí tại ${b(clusterName)} đã kết thúc từ ${esc(at)}.`,
      "Từ nay đồng chí không còn nhận nhắc nhở và không xem được số liệu của vai trò này. Các báo cáo đã nộp vẫn được lưu giữ đầy đủ.",
      "Xin trân trọng cảm ơn đồng chí đã đóng góp.",
    ].join("\n"),
  /** to the chair and deputy when the operator's removal left a board without a secretary */
  noSecretaryNotice: (boardName: string, code: string, at: string) =>
    `⚠️ Từ ${esc(at)}, ${b(boardName)} không còn thư ký. Đề nghị đồng chí gõ /moi ${esc(code)} để mời thư ký mới.`,
};

export const invitations = {
  /** the chair hands over: told when the link is made */
  handoverNote:
    "Khi người được mời nhận lời, nhiệm vụ cụm trưởng chuyển sang người đó và đồng chí không còn quyền cụm trưởng (vai trò thư ký đơn vị, nếu có, vẫn giữ nguyên).",
  cancelledLink: "Lời mời này đã được hủy. Đề nghị đồng chí liên hệ cụm trưởng để nhận lời mời mới.",
  alreadyHolds: (role: Role, boardName: string | null, clusterName: string) =>
    [
      `Đồng chí đã là ${roleOf(role, boardName)} của ${b(clusterName)}; không có gì thay đổi.`,
      "Lời mời này chưa được sử dụng và vẫn còn hiệu lực: nếu nó dành cho người khác, đề nghị đồng chí chuyển lại cho đúng người.",
    ].join("\n"),
  tookOver: (role: Role) =>
    `Nhiệm vụ ${ROLE[role]} đã được chuyển giao cho đồng chí; nhiệm vụ ${ROLE[role]} của người tiền nhiệm kết thúc từ lúc này.`,
};

const quarter = (ref: PeriodRef) => formatPeriodVi(ref);

export const approval = {
  approveButton: "✅ Duyệt",
  returnButton: "↩️ Trả lại kèm lý do",
  /** to a board leader: the submitted report, to approve or return */
  request: (boardName: string, ref: PeriodRef, revision: number, lines: { label: string; value: string }[]) =>
    [
      `✍️ ${b(boardName)} đã nộp báo cáo ${quarter(ref)}${revision > 1 ? ` (lần ${revision})` : ""}, đề nghị đồng chí ký duyệt:`,
      ...lines.map((l, i) => `${i + 1}. ${esc(l.label)}: ${esc(l.value)}`),
      "Số liệu chỉ được tính vào tổng kết sau khi đồng chí duyệt.",
    ].join("\n"),
  askReason: (boardName: string, ref: PeriodRef) =>
    `Đề nghị đồng chí nhập lý do trả lại báo cáo ${quarter(ref)} của ${b(boardName)} (một tin nhắn). Gõ /huy để thôi.`,
  approved: (boardName: string, ref: PeriodRef) =>
    `✅ Đồng chí đã duyệt báo cáo ${quarter(ref)} của ${b(boardName)}. Số liệu được tính vào tổng kết.`,
  returned: (boardName: string, ref: PeriodRef) =>
    `↩️ Đã trả lại báo cáo ${quarter(ref)} của ${b(boardName)} cho thư ký, kèm lý do của đồng chí.`,
  approvedToSecretary: (boardName: string, ref: PeriodRef) =>
    `✅ Báo cáo ${quarter(ref)} của ${b(boardName)} đã được lãnh đạo ban duyệt.`,
  returnedToSecretary: (boardName: string, ref: PeriodRef, reason: string) =>
    [
      `↩️ Báo cáo ${quarter(ref)} của ${b(boardName)} đã được lãnh đạo ban trả lại.`,
      `Lý do: ${esc(reason)}`,
      "Đề nghị đồng chí gõ /baocao để sửa và nộp lại.",
    ].join("\n"),
  stale: "Báo cáo này đã được sửa, duyệt hoặc trả lại sau tin nhắn này; không có gì thay đổi.",
  notLeader: "Chỉ lãnh đạo ban của đơn vị mới duyệt được báo cáo này.",
  reasonCancelled: "Đã thôi, báo cáo vẫn chờ đồng chí duyệt.",
  reasonEmpty: "Lý do không được để trống. Đề nghị đồng chí nhập lý do trả lại, hoặc gõ /huy để thôi.",
  noneWaiting: "Không có báo cáo nào chờ đồng chí duyệt.",
  off: "Cụm không yêu cầu lãnh đạo ban ký duyệt báo cáo.",
  leaderOnly: "Lệnh /duyet dành cho lãnh đạo ban của các đơn vị.",
  /** after a secretary's submission, when approval is required */
  waiting: "⏳ Báo cáo đang chờ lãnh đạo ban ký duyệt; số liệu được tính vào tổng kết sau khi duyệt.",
  /** in a summary: a board whose submitted report waits for approval */
  pendingLine: (shortName: string) => `⏳ ${esc(shortName)} — chờ duyệt`,
};
