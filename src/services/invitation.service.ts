// One-time invitations: 256 random bits, stored only as a SHA-256 hash, expiring,
// redeemed once. The token travels in a t.me deep link (`?start=<token>`), whose
// payload allows at most 64 characters of [A-Za-z0-9_-]: base64url of 32 bytes is 43.
import { createHash, randomBytes } from "node:crypto";
import type { Repositories } from "../db/index.ts";
import type { Board, Cluster, Membership } from "../domain/entities.ts";
import { isBoardRole } from "../domain/members.ts";
import type { Role } from "../domain/types.ts";
import type { Clock } from "./clock.ts";

export const TOKEN_BYTES = 32;
/** wrong tokens allowed per person in the window before answers slow down (counted across instances) */
export const MAX_WRONG_TOKENS = 5;
export const WRONG_TOKEN_WINDOW_MS = 10 * 60_000;
export const DEFAULT_INVITATION_HOURS = 72;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function isTokenShaped(payload: string): boolean {
  return TOKEN_PATTERN.test(payload);
}

export type InvitationError =
  | { code: "unknown_cluster"; cluster: string }
  /** `codes`: the cluster's active boards, to say which exist */
  | { code: "unknown_board"; board: string; codes: string[] }
  | { code: "board_required" }
  | { code: "bad_hours" };

export interface CreatedInvitation {
  token: string;
  link: string;
  cluster: Cluster;
  role: Role;
  board: Board | null;
  expiresAt: Date;
}

export type RedeemOutcome =
  | {
      ok: true;
      cluster: Cluster;
      role: Role;
      board: Board | null;
      membership: Membership;
      /** the previous holders whose role ended (a chair or deputy handover) */
      replaced: Membership[];
    }
  | { ok: false; reason: "unknown" | "used" | "expired" | "cancelled" }
  /** too many wrong tokens lately: this one was not even looked up */
  | { ok: false; reason: "slow_down" }
  /** the person already holds this role: nothing changed, the invitation stays usable */
  | { ok: false; reason: "already_holds"; cluster: Cluster; role: Role; board: Board | null };

export function deepLink(botUsername: string, token: string): string {
  return `https://t.me/${botUsername}?start=${token}`;
}

export function createInvitationService(repos: Repositories, clock: Clock, random = randomBytes) {
  return {
    async create(input: {
      clusterCode: string;
      role: Role;
      boardCode?: string | undefined;
      hours?: number | undefined;
      createdByPersonId: number | null;
      botUsername: string;
    }): Promise<{ ok: true; value: CreatedInvitation } | { ok: false; error: InvitationError }> {
      const cluster = await repos.clusters.findByCode(input.clusterCode);
      if (!cluster) return { ok: false, error: { code: "unknown_cluster", cluster: input.clusterCode } };
      const hours = input.hours ?? DEFAULT_INVITATION_HOURS;
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) return { ok: false, error: { code: "bad_hours" } };
      // A secretary or leader belongs to a board; a chair or deputy may name the chair board they come from.
      let board: Board | null = null;
      if (isBoardRole(input.role) && !input.boardCode) return { ok: false, error: { code: "board_required" } };
      if (input.boardCode) {
        // typed in a chat or a shell: "hn" names the board HN
        const typed = input.boardCode.toLowerCase();
        const boards = await repos.clusters.boards(cluster.id);
        board = boards.find((b) => b.code.toLowerCase() === typed) ?? null;
        if (!board) {
          return {
            ok: false,
            error: { code: "unknown_board", board: input.boardCode, codes: boards.map((b) => b.code) },
          };
        }
      }
      const token = random(TOKEN_BYTES).toString("base64url");
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + hours * 3600_000);
      await repos.people.createInvitation(
        {
          clusterId: cluster.id,
          role: input.role,
          boardId: board?.id ?? null,
          tokenHash: hashToken(token),
          expiresAt,
          createdByPersonId: input.createdByPersonId,
        },
        now,
      );
      return {
        ok: true,
        value: { token, link: deepLink(input.botUsername, token), cluster, role: input.role, board, expiresAt },
      };
    },

    /**
     * Redeems a token. Lookup is by the token's hash (a unique index), so no secret is
     * compared byte by byte and timing reveals nothing about stored tokens. A person who
     * sent MAX_WRONG_TOKENS wrong ones in the last WRONG_TOKEN_WINDOW_MS (to any instance:
     * the attempts are rows in the database) is told to wait, and that try does not count.
     * Every try claims an attempt before the token is looked up, so simultaneous guesses
     * cannot slip past the limit together; a real invitation (redeemed, or meant for
     * someone else: already_holds) gives its attempt back.
     */
    async redeem(token: string, personId: number): Promise<RedeemOutcome> {
      const now = clock.now();
      const windowStart = new Date(now.getTime() - WRONG_TOKEN_WINDOW_MS);
      const attempt = await repos.people.claimTokenAttempt(personId, now, windowStart, MAX_WRONG_TOKENS);
      if (attempt === null) return { ok: false, reason: "slow_down" };
      const res = isTokenShaped(token)
        ? await repos.people.redeemInvitation(hashToken(token), personId, now)
        : ({ ok: false, reason: "unknown" } as const);
      if (!res.ok && res.reason !== "already_holds") return { ok: false, reason: res.reason };
      await repos.people.releaseTokenAttempt(attempt);
      const clusterId = res.ok ? res.membership.clusterId : res.clusterId;
      const boardId = res.ok ? res.membership.boardId : res.boardId;
      const cluster = (await repos.clusters.findById(clusterId))!;
      const board = boardId ? await repos.clusters.boardById(boardId) : null;
      if (!res.ok) return { ok: false, reason: "already_holds", cluster, role: res.role, board };
      return {
        ok: true,
        cluster,
        role: res.membership.role,
        board,
        membership: res.membership,
        replaced: res.replaced,
      };
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
