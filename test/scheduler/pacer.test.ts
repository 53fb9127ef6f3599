import { describe, expect, it } from "vitest";
import { createPacer } from "../../src/services/pacer.ts";

describe("createPacer", () => {
  it("spaces starts evenly and never bursts to catch up after a stall", async () => {
    let t = 1000;
    const starts: number[] = [];
    const pace = createPacer(
      100,
      async (ms) => {
        t += ms;
      },
      () => t,
    );
    for (let i = 0; i < 3; i++) {
      await pace();
      starts.push(t);
    }
    expect(starts).toEqual([1000, 1010, 1020]);
    t += 500; // a stall: the next start goes now, the one after a full interval later
    await pace();
    starts.push(t);
    await pace();
    starts.push(t);
    expect(starts.slice(3)).toEqual([1520, 1530]);
  });
});
