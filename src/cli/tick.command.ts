// `cli tick [--at <ISO-8601 time>]`: runs every scheduled action due as of that time
// and prints one line per action. Safe beside the running bot: the ledger decides.
import type { Clock } from "../services/clock.ts";
import type { TickLine } from "../services/ledger-executor.ts";

export class TickCommandError extends Error {
  override name = "TickCommandError";
}

/** "2026-10-05T17:00:00+07:00" or "2026-10-05T10:00Z"; a zone is required so the instant is unambiguous. */
export function parseAt(value: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
  const d = new Date(value.trim());
  if (!ok || Number.isNaN(d.getTime())) {
    throw new TickCommandError(
      `--at: expected an ISO-8601 time with a zone, e.g. 2026-10-05T17:00:00+07:00 (got "${value}")`,
    );
  }
  return d;
}

/** One printed line: due time → key → outcome → recipients. */
export function formatTickLine(l: TickLine): string {
  const counts = l.blocked || l.failed ? ` (sent ${l.sent}, blocked ${l.blocked}, failed ${l.failed})` : "";
  const detail = l.detail ? ` — ${l.detail}` : "";
  const resumed = l.resumed ? " [resumed]" : "";
  return `${l.dueAt.toISOString()}  ${l.key}  ${l.outcome}  ${l.recipients} recipient${l.recipients === 1 ? "" : "s"}${counts}${detail}${resumed}`;
}

export async function runTickCommand(
  options: { at?: string | undefined },
  deps: { scheduler: { tick(now: Date): Promise<TickLine[]> }; clock: Clock; print: (line: string) => void },
): Promise<TickLine[]> {
  const now = options.at === undefined ? deps.clock.now() : parseAt(options.at);
  const lines = await deps.scheduler.tick(now);
  if (lines.length === 0) deps.print(`${now.toISOString()}  nothing due`);
  for (const l of lines) deps.print(formatTickLine(l));
  return lines;
}
