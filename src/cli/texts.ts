// Operator-facing (English) messages of the CLI.
import type { InvitationError } from "../services/invitation.service.ts";

export function formatInvitationError(e: InvitationError): string {
  switch (e.code) {
    case "unknown_cluster":
      return `unknown cluster "${e.cluster}" (apply its configuration file first)`;
    case "unknown_board":
      return `unknown or retired board "${e.board}"`;
    case "board_required":
      return "a secretary or leader invitation needs --board <code>";
    case "bad_hours":
      return "--hours must be a number of hours between 0 and 720";
  }
}
