// /thanhvien: the members and open invitations as messages, each with the buttons of the
// people it lists (a remove button only where the viewer may remove; see membership.service).
import { InlineKeyboard } from "grammy";
import type { Role } from "../../domain/types.ts";
import { instantToZonedParts } from "../../domain/zoned-time.ts";
import type { InvitationView, MemberView } from "../../services/membership.service.ts";
import * as vi from "../locales/vi.ts";
import { personName } from "../locales/vi-members.ts";

/** Members per message: 25 lines of ~120 characters stay far under Telegram's 4,096, and 25 buttons under 100. */
const PER_MESSAGE = 25;

export const MEMBERS_CALLBACK = {
  remove: (id: number) => `mb:rm:${id}`,
  confirmRemove: (id: number) => `mb:rmok:${id}`,
  cancel: (id: number) => `mb:ci:${id}`,
  confirmCancel: (id: number) => `mb:ciok:${id}`,
  keep: "mb:no",
};
export const MEMBERS_CALLBACK_PATTERN = /^mb:(rm|rmok|ci|ciok):(\d{1,12})$/;

const pad = (n: number) => String(n).padStart(2, "0");

/** "05/10/2026" on the cluster's wall clock. */
export function dateVi(at: Date, tz: string): string {
  const p = instantToZonedParts(at, tz);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** Whether a chair or deputy with these roles may remove this member from the chat. */
export function mayRemove(viewerRoles: Role[], target: Role): boolean {
  if (target === "chair") return false;
  if (target === "deputy") return viewerRoles.includes("chair");
  return true;
}

export interface MessageView {
  text: string;
  keyboard?: InlineKeyboard;
}

export function membersView(input: {
  clusterName: string;
  tz: string;
  members: MemberView[];
  invitations: InvitationView[];
  viewerRoles: Role[];
}): MessageView[] {
  const { members, invitations, tz } = input;
  const out: MessageView[] = [];
  if (members.length === 0) out.push({ text: vi.members.none });
  for (let start = 0; start < members.length; start += PER_MESSAGE) {
    const slice = members.slice(start, start + PER_MESSAGE);
    const lines =
      start === 0 ? [vi.members.title(input.clusterName, new Set(members.map((m) => m.person.id)).size)] : [];
    const kb = new InlineKeyboard();
    let buttons = 0;
    slice.forEach((m, i) => {
      const n = start + i + 1;
      const name = personName(m.person);
      lines.push(vi.members.line(n, m.role, m.board?.name ?? null, name, dateVi(m.since, tz)));
      if (!mayRemove(input.viewerRoles, m.role)) return;
      if (buttons > 0 && buttons % 2 === 0) kb.row();
      kb.text(vi.members.removeButton(n, name), MEMBERS_CALLBACK.remove(m.membershipId));
      buttons++;
    });
    out.push(buttons > 0 ? { text: lines.join("\n"), keyboard: kb } : { text: lines.join("\n") });
  }
  // the usual case is one message: the members, "no invitation waiting", how to use the buttons
  const appendToLast = (line: string) => {
    const last = out[out.length - 1]!;
    out[out.length - 1] = { ...last, text: `${last.text}\n\n${line}` };
  };
  if (invitations.length === 0) {
    appendToLast(vi.members.noInvitations);
  } else {
    for (let start = 0; start < invitations.length; start += PER_MESSAGE) {
      const slice = invitations.slice(start, start + PER_MESSAGE);
      const lines = start === 0 ? [vi.members.invitationsTitle] : [];
      const kb = new InlineKeyboard();
      slice.forEach((inv, i) => {
        lines.push(
          vi.members.invitationLine(inv.id, inv.role, inv.board?.name ?? null, vi.dateTime(inv.expiresAt, tz)),
        );
        if (i > 0 && i % 2 === 0) kb.row();
        kb.text(vi.members.cancelButton(inv.id), MEMBERS_CALLBACK.cancel(inv.id));
      });
      out.push({ text: lines.join("\n"), keyboard: kb });
    }
  }
  appendToLast(vi.members.howTo);
  return out;
}

export function confirmView(text: string, yes: string, yesData: string): MessageView {
  return { text, keyboard: new InlineKeyboard().text(yes, yesData).text(vi.members.no, MEMBERS_CALLBACK.keep) };
}
