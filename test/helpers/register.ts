// The register check of product.md ("How the bot speaks"): chat text addresses people as
// "đồng chí", never "bạn" or "mình", and carries no English word (command names and
// links aside). Used on every locale string and on every bot message of the demo.

/** Words that must not appear in chat text (whole words, any case). */
export const FORBIDDEN_WORDS = [
  "bạn",
  "mình",
  "chair",
  "deputy",
  "secretary",
  "leader",
  "deadline",
  "opens",
  "open",
  "briefing",
  "post",
  "summary",
  "reminder",
  "report",
  "start",
  "board",
  "period",
  "quarter",
  "please",
  "sorry",
  "error",
  "cancel",
  "submit",
  "ok",
  "done",
  "failed",
];

const WORD = new RegExp(`(?<![\\p{L}\\p{N}_])(${FORBIDDEN_WORDS.join("|")})(?![\\p{L}\\p{N}_])`, "giu");

/** The forbidden words found in `text`, ignoring command names (/start, /help) and links. */
export function registerProblems(text: string): string[] {
  const prose = text.replace(/https?:\/\/\S+/g, " ").replace(/\/[a-z_]+(@\w+)?/gi, " ");
  return [...prose.matchAll(WORD)].map((m) => m[0]);
}
