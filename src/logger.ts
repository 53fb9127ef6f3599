// pino logger; secrets are redacted by path and never passed in messages.
import { type Logger, pino } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          "token",
          "*.token",
          "botToken",
          "*.botToken",
          "secret",
          "*.secret",
          // a failed Bot API call (GrammyError) carries its request: the message text, with
          // figures, names or an invitation link; the method and Telegram's description stay
          "err.payload",
          "error.payload",
        ],
        censor: "[hidden]",
      },
    },
    destination,
  );
}

/** A logger that writes nothing (tests, CLI commands that print their own output). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
