// Long polling with grammY's runner: updates of different chats run concurrently,
// updates of one chat strictly in order (sequentialize is installed in createBot).
import { type RunnerHandle, run } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { BotContext } from "./context.ts";
import { drainUpdates } from "./create-bot.ts";

/** How long a stop waits for the updates being handled to finish. */
export const DRAIN_TIMEOUT_MS = 7_000;

export interface PollingOptions {
  /** long-polling timeout in seconds (Telegram holds getUpdates this long) */
  timeoutSeconds?: number;
}

export interface Polling {
  /** resolves when the runner stops */
  task: Promise<void> | undefined;
  /** stop taking updates and wait for the ones in flight */
  stop(): Promise<void>;
  isRunning(): boolean;
}

export async function startPolling(bot: Bot<BotContext>, opts: PollingOptions = {}): Promise<Polling> {
  await bot.init();
  // A webhook left over from a webhook-mode run would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  const handle: RunnerHandle = run(bot, {
    runner: {
      fetch: { timeout: opts.timeoutSeconds ?? 30, allowed_updates: ["message", "callback_query", "my_chat_member"] },
      silent: true,
    },
  });
  return {
    task: handle.task(),
    // stop fetching, then wait for the updates already taken to be handled completely
    // (their answers stored and the conversation state written)
    stop: async () => {
      await handle.stop();
      await drainUpdates(bot, DRAIN_TIMEOUT_MS);
    },
    isRunning: () => handle.isRunning(),
  };
}
