import { Bot, type Context } from "grammy";
import { type BotApiStandin, createBotApiStandin, type StandinOptions } from "../../src/standin/bot-api-standin.ts";

export const TOKEN = "7000000001:standin-test-token";

export interface RawAnswer {
  status: number;
  body: {
    ok: boolean;
    result?: unknown;
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number };
  };
}

/** Calls the stand-in over plain HTTP, like any Bot API client would. */
export async function rawCall(
  apiRoot: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<RawAnswer> {
  const res = await fetch(`${apiRoot}/bot${TOKEN}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as RawAnswer["body"] };
}

export async function startStandin(options?: StandinOptions): Promise<{ standin: BotApiStandin; apiRoot: string }> {
  const standin = createBotApiStandin({ token: TOKEN, ...options });
  const { apiRoot } = await standin.start();
  return { standin, apiRoot };
}

/** Starts long polling without awaiting (bot.start resolves only when stopped). */
export async function startPolling<C extends Context>(bot: Bot<C>): Promise<void> {
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  void bot.start({ timeout: 1, drop_pending_updates: false, onStart: () => started() });
  await ready;
}

export function makeBot(apiRoot: string): Bot {
  return new Bot(TOKEN, { client: { apiRoot } });
}
