import { describe, expect, it } from "vitest";
import { createPacer, PACE_MARGIN } from "../../src/services/pacer.ts";

describe("createPacer", () => {
  it("spaces starts evenly just under the cap and never bursts to catch up after a stall", async () => {
    let t = 1000;
    const starts: number[] = [];
    const pace = createPacer(
      100,
      async (ms) => {
        t += ms;
      },
      () => t,
    );
    const gap = 10 / PACE_MARGIN; // 100/s at 97 %: 10.3 ms
    for (let i = 0; i < 3; i++) {
      await pace();
      starts.push(t);
    }
    expect(starts[0]).toBe(1000);
    expect(starts[1]! - starts[0]!).toBeCloseTo(gap, 9);
    expect(starts[2]! - starts[1]!).toBeCloseTo(gap, 9);
    t += 500; // a stall: the next start goes now, the one after a full interval later
    await pace();
    starts.push(t);
    await pace();
    starts.push(t);
    expect(starts[4]! - starts[3]!).toBeCloseTo(gap, 9);
    expect(starts[3]).toBe(starts[2]! + 500);
    // never more than the cap in any second
    const many: number[] = [];
    for (let i = 0; i < 300; i++) {
      await pace();
      many.push(t);
    }
    for (let i = 100; i < many.length; i++) expect(many[i]! - many[i - 100]!).toBeGreaterThanOrEqual(1000);
  });
});
