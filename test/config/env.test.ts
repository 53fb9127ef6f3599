import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig, redactConfig, requireBotToken } from "../../src/config.ts";

const TOKEN = "123456789:AAH-secret_value_abcdefghijklmnopqrstuvw";
const SECRET = "hook_secret-XYZ";

function fail(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected parseConfig to throw");
}

describe("parseConfig", () => {
  it("fills every default from an empty environment", () => {
    const config = parseConfig({});
    expect({ ...config }).toEqual({
      botToken: undefined,
      database: { kind: "sqlite", url: "file:./data/bot.db", path: "./data/bot.db" },
      telegramApiRoot: "https://api.telegram.org",
      clusterConfigPaths: [],
      transport: { mode: "polling", port: 8080 },
      logLevel: "info",
      instanceId: undefined,
      scheduler: true,
    });
  });

  it("treats blank values as unset", () => {
    const config = parseConfig({ BOT_TOKEN: "", DATABASE_URL: "  ", PORT: "", WEBHOOK_URL: "", LOG_LEVEL: "" });
    expect(config.botToken).toBeUndefined();
    expect(config.database.kind).toBe("sqlite");
    expect(config.transport).toEqual({ mode: "polling", port: 8080 });
    expect(config.logLevel).toBe("info");
  });

  it("reads every variable", () => {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      DATABASE_URL: "postgresql://bot:pw@db:5432/bot",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      CLUSTER_CONFIG: "a.yaml, b.json ,,",
      WEBHOOK_URL: "https://bot.example.vn/tg",
      WEBHOOK_SECRET: SECRET,
      PORT: "3000",
      LOG_LEVEL: "DEBUG",
      INSTANCE_ID: "web-1",
      SCHEDULER: "off",
      UNRELATED: "ignored",
    });
    expect(config.botToken).toBe(TOKEN);
    expect(config.database).toEqual({ kind: "postgres", url: "postgresql://bot:pw@db:5432/bot" });
    expect(config.telegramApiRoot).toBe("http://127.0.0.1:8081");
    expect(config.clusterConfigPaths).toEqual(["a.yaml", "b.json"]);
    expect(config.transport).toEqual({ mode: "webhook", url: "https://bot.example.vn/tg", secret: SECRET, port: 3000 });
    expect(config.logLevel).toBe("debug");
    expect(config.instanceId).toBe("web-1");
    expect(config.scheduler).toBe(false);
  });

  it.each([
    ["file:/var/lib/bot/bot.db", { kind: "sqlite", url: "file:/var/lib/bot/bot.db", path: "/var/lib/bot/bot.db" }],
    ["postgres://u@h/db", { kind: "postgres", url: "postgres://u@h/db" }],
  ])("accepts DATABASE_URL %s", (url, expected) => {
    expect(parseConfig({ DATABASE_URL: url }).database).toEqual(expected);
  });

  it("is polling with the configured port when WEBHOOK_URL is unset", () => {
    const config = parseConfig({ PORT: "9000", WEBHOOK_SECRET: SECRET });
    expect(config.transport).toEqual({ mode: "polling", port: 9000 });
  });

  it.each<[string, Record<string, string>, string]>([
    ["BOT_TOKEN", { BOT_TOKEN: "not-a-token" }, "BOT_TOKEN: expected <digits>:<35 or more"],
    ["BOT_TOKEN", { BOT_TOKEN: "123:short" }, "BOT_TOKEN:"],
    [
      "DATABASE_URL",
      { DATABASE_URL: "mysql://root:pw@h/db" },
      'DATABASE_URL: expected file:<path> (SQLite) or postgresql://… (PostgreSQL), got a value starting with "mysql:"',
    ],
    ["DATABASE_URL", { DATABASE_URL: "file:" }, "DATABASE_URL: expected a file path"],
    ["DATABASE_URL", { DATABASE_URL: "./bot.db" }, "DATABASE_URL:"],
    [
      "TELEGRAM_API_ROOT",
      { TELEGRAM_API_ROOT: "api.telegram.org" },
      'TELEGRAM_API_ROOT: expected an http:// or https:// URL, got "api.telegram.org"',
    ],
    ["TELEGRAM_API_ROOT", { TELEGRAM_API_ROOT: "ftp://x" }, "TELEGRAM_API_ROOT:"],
    ["WEBHOOK_URL", { WEBHOOK_URL: "bot.example.vn", WEBHOOK_SECRET: SECRET }, "WEBHOOK_URL:"],
    [
      "WEBHOOK_SECRET",
      { WEBHOOK_URL: "https://bot.example.vn/tg" },
      "WEBHOOK_SECRET: required when WEBHOOK_URL is set",
    ],
    [
      "WEBHOOK_SECRET",
      { WEBHOOK_URL: "https://x.vn", WEBHOOK_SECRET: "has space" },
      "WEBHOOK_SECRET: expected 1 to 256",
    ],
    ["WEBHOOK_SECRET", { WEBHOOK_URL: "https://x.vn", WEBHOOK_SECRET: "a".repeat(257) }, "WEBHOOK_SECRET:"],
    ["PORT", { PORT: "-1" }, 'PORT: expected a whole number from 0 to 65535 (0 picks a free port), got "-1"'],
    ["PORT", { PORT: "65536" }, "PORT:"],
    ["PORT", { PORT: "80.5" }, "PORT:"],
    ["PORT", { PORT: "http" }, "PORT:"],
    [
      "LOG_LEVEL",
      { LOG_LEVEL: "verbose" },
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
    ["SCHEDULER", { SCHEDULER: "yes" }, 'SCHEDULER: expected on or off, got "yes"'],
    ["INSTANCE_ID", { INSTANCE_ID: "two words" }, "INSTANCE_ID:"],
  ])("names %s when it is wrong (%j)", (variable, env, fragment) => {
    const err = fail(env);
    expect(err.message).toContain(fragment);
    expect(err.message).toContain(variable);
    expect(err.message).not.toContain("\n");
    expect(err.variables).toEqual([variable]);
  });

  it("reports every bad variable at once, on one line", () => {
    const err = fail({ PORT: "x", LOG_LEVEL: "loud" });
    expect(err.variables).toEqual(["PORT", "LOG_LEVEL"]);
    expect(err.message).not.toContain("\n");
  });

  it("never shows secret values in messages", () => {
    const badToken = "12345:this-is-the-secret-but-too-short";
    const badSecret = "secret with spaces";
    const err = fail({ BOT_TOKEN: badToken, WEBHOOK_URL: "https://x.vn", WEBHOOK_SECRET: badSecret });
    expect(err.message).not.toContain(badToken);
    expect(err.message).not.toContain("this-is-the-secret");
    expect(err.message).not.toContain(badSecret);
    const dbErr = fail({ DATABASE_URL: "mysql://root:hunter2@h/db" });
    expect(dbErr.message).not.toContain("hunter2");
  });

  it("never shows the token or secrets when the config is printed or serialized", () => {
    const config = parseConfig({
      BOT_TOKEN: TOKEN,
      WEBHOOK_URL: "https://x.vn",
      WEBHOOK_SECRET: SECRET,
      DATABASE_URL: "postgresql://bot:hunter2@db/bot",
    });
    for (const text of [
      String(config),
      `${config}`,
      JSON.stringify(config),
      inspect(config),
      JSON.stringify(redactConfig(config)),
    ]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split(":")[1]);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("hunter2");
    }
    expect(JSON.stringify(config)).toContain("[redacted]");
  });
});

describe("requireBotToken", () => {
  it("returns the token when set", () => {
    expect(requireBotToken(parseConfig({ BOT_TOKEN: TOKEN }))).toBe(TOKEN);
  });

  it("throws a ConfigError naming BOT_TOKEN when absent", () => {
    expect(() => requireBotToken(parseConfig({}))).toThrow(ConfigError);
    expect(() => requireBotToken(parseConfig({}))).toThrow(/^BOT_TOKEN is required/);
  });
});

describe("loadConfig", () => {
  it("reads process.env", () => {
    const before = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "warn";
    try {
      expect(loadConfig().logLevel).toBe("warn");
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });
});
