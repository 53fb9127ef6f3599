/** Fault injection and rate limiting for the Bot API stand-in. */

export type FaultError =
  | { code: 429; retryAfter: number; description?: string }
  | { code: 500 | 502; description?: string }
  | { code: 403; description?: string }
  | { code: 400; description: string }
  | { hang: true; ms?: number };

export interface FaultRule {
  /** Method name (case-insensitive) or pattern. Omitted: every method except getUpdates. */
  method?: string | RegExp;
  /** Only calls whose chat_id equals this. */
  chatId?: number | string;
  /** Apply at most this many times, then the rule expires. */
  times?: number;
  /** Apply with this probability (seeded PRNG of the stand-in). */
  probability?: number;
  error: FaultError;
}

export interface FaultHandle {
  readonly id: number;
  readonly rule: FaultRule;
  /** How many times the fault was applied. */
  readonly hits: number;
  /** Whether the rule is still active. */
  readonly active: boolean;
  remove(): void;
}

export interface InjectedFault {
  ruleId: number;
  method: string;
  chatId: number | string | undefined;
  error: FaultError;
  time: number;
}

interface RuleState {
  id: number;
  rule: FaultRule;
  hits: number;
  active: boolean;
}

export class FaultInjector {
  private rules: RuleState[] = [];
  private nextId = 1;
  /** Every fault that was applied, in order. */
  readonly log: InjectedFault[] = [];

  constructor(
    private readonly random: () => number,
    private readonly now: () => number,
  ) {}

  add(rule: FaultRule): FaultHandle {
    const state: RuleState = { id: this.nextId++, rule, hits: 0, active: true };
    this.rules.push(state);
    const remove = () => {
      state.active = false;
      this.rules = this.rules.filter((r) => r !== state);
    };
    return {
      id: state.id,
      rule,
      get hits() {
        return state.hits;
      },
      get active() {
        return state.active;
      },
      remove,
    };
  }

  clear(): void {
    for (const r of this.rules) r.active = false;
    this.rules = [];
  }

  /** Active rules, in the order they are checked. */
  get rulesActive(): readonly FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** Picks the fault for a call, if any. Consumes randomness only for rules with a probability. */
  pick(method: string, chatId: number | string | undefined): FaultError | undefined {
    for (const state of this.rules) {
      const { rule } = state;
      if (!matchesMethod(rule.method, method)) continue;
      if (rule.chatId !== undefined && String(rule.chatId) !== String(chatId)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      state.hits++;
      if (rule.times !== undefined && state.hits >= rule.times) {
        state.active = false;
        this.rules = this.rules.filter((r) => r !== state);
      }
      this.log.push({ ruleId: state.id, method, chatId, error: rule.error, time: this.now() });
      return rule.error;
    }
    return undefined;
  }
}

function matchesMethod(pattern: string | RegExp | undefined, method: string): boolean {
  if (pattern === undefined) return method !== "getUpdates";
  if (typeof pattern === "string") return pattern.toLowerCase() === method.toLowerCase();
  pattern.lastIndex = 0;
  return pattern.test(method);
}

export interface RateLimitOptions {
  /** Messages per second over all chats (Telegram: about 30). */
  globalPerSecond?: number;
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond?: number;
  /** Messages per minute to one group (Telegram: 20). */
  perGroupPerMinute?: number;
}

/** Methods that count as "sending a message" for rate limiting. */
export function isRateLimitedMethod(method: string): boolean {
  return /^(send|edit|copy|forward)/.test(method) && method !== "sendChatAction";
}

/** Sliding-window limiter; answers the retry_after (seconds) when a call would exceed a limit. */
export class RateLimiter {
  private global: number[] = [];
  private perChat = new Map<string, number[]>();
  private perGroup = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions) {}

  /** Returns undefined when allowed (and records the call), otherwise retry_after in seconds. */
  check(chatId: number | string | undefined, isGroup: boolean, now: number): number | undefined {
    const { globalPerSecond, perChatPerSecond, perGroupPerMinute } = this.options;
    const checks: Array<[number[], number, number]> = [];
    if (globalPerSecond !== undefined) checks.push([this.global, globalPerSecond, 1000]);
    if (chatId !== undefined) {
      const key = String(chatId);
      if (perChatPerSecond !== undefined) checks.push([bucket(this.perChat, key), perChatPerSecond, 1000]);
      if (isGroup && perGroupPerMinute !== undefined) {
        checks.push([bucket(this.perGroup, key), perGroupPerMinute, 60_000]);
      }
    }
    let retryAfterMs = 0;
    for (const [stamps, limit, windowMs] of checks) {
      while (stamps.length > 0 && (stamps[0] as number) <= now - windowMs) stamps.shift();
      if (stamps.length >= limit) {
        const oldest = stamps[stamps.length - limit] as number;
        retryAfterMs = Math.max(retryAfterMs, oldest + windowMs - now);
      }
    }
    if (retryAfterMs > 0) return Math.max(1, Math.ceil(retryAfterMs / 1000));
    for (const [stamps] of checks) stamps.push(now);
    return undefined;
  }
}

function bucket(map: Map<string, number[]>, key: string): number[] {
  let b = map.get(key);
  if (!b) {
    b = [];
    map.set(key, b);
  }
  return b;
}
