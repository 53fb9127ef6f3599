// Operator-facing (English) messages of the CLI.
import type { InvitationError } from "../services/invitation.service.ts";

export function formatInvitationError(e: InvitationError): string {
  switch (e.code) {
    case "unknown_cluster":
      return `unknown cluster "${e.cluster}" (apply its configuration file first)`;
    case "unknown_board":
      return `unknown or retired board "${e.board}"`;
    case "board_required":
      return "a secretary invitation needs --board <code>";
    case "board_not_allowed":
      return "--board is only for secretary invitations";
    case "bad_hours":
      return "--hours must be a number of hours between 0 and 720";
  }
}
