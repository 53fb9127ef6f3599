import { InputFile } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { TINY_PNG } from "../../src/standin/bot-api-standin.ts";
import { makeBot, startPolling, startStandin, TOKEN } from "./helpers.ts";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("multipart uploads", () => {
  it("keeps photo and document bytes, file names, MIME types and captions", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = makeBot(apiRoot);
    const u = standin.user(300, { first_name: "Hương", known: true });
    const xlsx = Buffer.from("PK\u0003\u0004 fake xlsx bytes \u0000\u00ff", "latin1");

    const photo = await bot.api.sendPhoto(300, new InputFile(TINY_PNG, "chart.png"), {
      caption: "<b>Biểu đồ</b> quý 1",
      parse_mode: "HTML",
    });
    const doc = await bot.api.sendDocument(300, new InputFile(xlsx, "Tổng hợp cụm 5.xlsx"), {
      caption: "Bảng tổng hợp",
    });
    expect(photo.photo?.[0]?.width).toBe(1);
    expect(doc.document?.file_name).toBe("Tổng hợp cụm 5.xlsx");

    const [p, d] = u.messages();
    expect(p?.method).toBe("sendPhoto");
    expect(p?.caption).toBe("Biểu đồ quý 1");
    expect(p?.photo?.bytes.equals(TINY_PNG)).toBe(true);
    expect(d?.document?.bytes.equals(xlsx)).toBe(true);
    expect(d?.document?.filename).toBe("Tổng hợp cụm 5.xlsx");
    expect(d?.document?.mimeType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(d?.caption).toBe("Bảng tổng hợp");

    // the upload is a real multipart request in the call log
    const call = standin.calls("sendDocument")[0];
    expect(call?.files[0]?.filename).toBe("Tổng hợp cụm 5.xlsx");

    // re-sending by file_id and downloading through getFile work
    await bot.api.sendDocument(300, doc.document?.file_id as string);
    expect(u.last()?.document?.bytes.equals(xlsx)).toBe(true);
    const file = await bot.api.getFile(doc.document?.file_id as string);
    const download = await fetch(`${apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(xlsx)).toBe(true);
  });

  it("rejects a photo that is not an image and a caption that is too long", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = makeBot(apiRoot);
    standin.user(301, { first_name: "Khoa", known: true });
    await expect(bot.api.sendPhoto(301, new InputFile(Buffer.from("not an image"), "x.jpg"))).rejects.toThrow(
      /IMAGE_PROCESS_FAILED/,
    );
    await expect(
      bot.api.sendPhoto(301, new InputFile(TINY_PNG, "x.png"), { caption: "x".repeat(1025) }),
    ).rejects.toThrow(/message caption is too long/);
  });

  it("delivers user photos, documents and stickers without text", async () => {
    const { standin, apiRoot } = await startStandin();
    cleanup.push(() => standin.stop());
    const bot = makeBot(apiRoot);
    const seen: string[] = [];
    bot.on("message:photo", (ctx) => ctx.reply(`photo caption=${ctx.msg.caption ?? "(none)"}`));
    bot.on("message:document", async (ctx) => {
      const file = await ctx.getFile();
      seen.push(file.file_path ?? "");
      await ctx.reply(`doc ${ctx.msg.document.file_name}`);
    });
    bot.on("message:sticker", (ctx) => ctx.reply(`sticker ${ctx.msg.sticker.emoji}`));
    bot.on("message:text", (ctx) => ctx.reply("text"));
    await startPolling(bot);
    cleanup.push(() => bot.stop());
    const u = standin.user(302, { first_name: "Long" });
    u.sendPhoto();
    expect((await u.waitForReply()).text).toBe("photo caption=(none)");
    u.sendDocument({ fileName: "bao-cao.pdf", bytes: Buffer.from("%PDF-1.4") });
    expect((await u.waitForReply()).text).toBe("doc bao-cao.pdf");
    expect(seen[0]).toMatch(/^documents\/file_\d+\.pdf$/);
    u.sendSticker({ emoji: "🎉" });
    expect((await u.waitForReply()).text).toBe("sticker 🎉");
  });
});
