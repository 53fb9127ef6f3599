// A horizontal bar chart as a PNG, drawn offline: chart.js on a @napi-rs/canvas
// (Skia) canvas with the DejaVu Sans font shipped in an npm package, so Vietnamese
// diacritics render the same on every machine and nothing is fetched at run time.
import { createRequire } from "node:module";
import { createCanvas, GlobalFonts, type SKRSContext2D } from "@napi-rs/canvas";
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartItem,
  LinearScale,
  type Plugin,
  SubTitle,
  Title,
} from "chart.js";

export type BarTone = "gold" | "silver" | "bronze" | "normal" | "missing";

export interface BarChartBar {
  /** the category label on the left ("1. Hà Nội"); several strings are several lines */
  label: string | string[];
  /** bar length; null draws no bar (e.g. not submitted) */
  value: number | null;
  /** the text drawn after the bar ("96,25", "chưa nộp") */
  valueLabel: string;
  tone: BarTone;
}

export interface BarChartInput {
  title: string;
  subtitle: string[];
  axisLabel: string;
  /** the end of the value axis (the maximum possible score) */
  max: number;
  /** top to bottom */
  bars: BarChartBar[];
  /** a small line under the chart: the source and the date */
  footnote?: string;
}

export const FONT_FAMILY = "DejaVu Sans";
/** Wide enough for a phone screen at 2–3× density, narrow enough to stay sharp when Telegram rescales. */
export const CHART_WIDTH = 1080;
const BAR_ROW = 54;
/** a bar whose label takes two lines */
const BAR_ROW_WRAPPED = 66;
const HEADER = 190;
const FOOTER = 44;
const MIN_HEIGHT = 480;

const COLORS: Record<BarTone, string> = {
  gold: "#C9A227",
  silver: "#8E9AA6",
  bronze: "#B0723A",
  normal: "#2F6DB5",
  missing: "#BDBDBD",
};

let fontsRegistered = false;

/** Registers DejaVu Sans (regular and bold) once per process, from the dejavu-fonts-ttf package. */
export function registerChartFonts(): void {
  if (fontsRegistered) return;
  const require = createRequire(import.meta.url);
  for (const file of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
    const key = GlobalFonts.registerFromPath(require.resolve(`dejavu-fonts-ttf/ttf/${file}`), FONT_FAMILY);
    if (!key) throw new Error(`could not load the chart font ${file}`);
  }
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Title, SubTitle);
  fontsRegistered = true;
}

/** Pixel size of the chart for a number of bars: one row per bar under a fixed header, the footnote below. */
export function chartSize(
  bars: number,
  opts: { wrapped?: boolean; footnote?: boolean } = {},
): {
  width: number;
  height: number;
} {
  const row = opts.wrapped ? BAR_ROW_WRAPPED : BAR_ROW;
  return { width: CHART_WIDTH, height: Math.max(MIN_HEIGHT, HEADER + 70 + bars * row) + (opts.footnote ? FOOTER : 0) };
}

const sizeOf = (input: BarChartInput) =>
  chartSize(input.bars.length, {
    wrapped: input.bars.some((b) => Array.isArray(b.label) && b.label.length > 1),
    footnote: !!input.footnote,
  });

// The source and the date, small, at the bottom left (under the axis area).
function footnote(text: string | undefined): Plugin<"bar"> {
  return {
    id: "footnote",
    afterDraw(chart) {
      if (!text) return;
      const { ctx, height } = chart;
      ctx.save();
      ctx.font = `italic 18px "${FONT_FAMILY}"`;
      ctx.fillStyle = "#616161";
      ctx.textBaseline = "bottom";
      ctx.fillText(text, 16, height - 12, CHART_WIDTH - 32);
      ctx.restore();
    },
  };
}

// A transparent PNG turns black in Telegram's dark theme: paint the background first.
const whiteBackground: Plugin<"bar"> = {
  id: "whiteBackground",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

// chart.js has no data labels of its own: write each bar's value just after its end.
function valueLabels(bars: BarChartBar[]): Plugin<"bar"> {
  return {
    id: "valueLabels",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const meta = chart.getDatasetMeta(0);
      const zero = chart.scales.x?.getPixelForValue(0) ?? chart.chartArea.left;
      ctx.save();
      ctx.textBaseline = "middle";
      meta.data.forEach((element, i) => {
        const bar = bars[i];
        if (!bar) return;
        const { x, y } = element.getProps(["x", "y"], true) as { x: number; y: number };
        ctx.font = `${bar.tone === "missing" ? "italic " : "bold "}22px "${FONT_FAMILY}"`;
        ctx.fillStyle = bar.tone === "missing" ? "#757575" : "#1A1A1A";
        ctx.fillText(bar.valueLabel, Math.max(x, zero) + 10, y);
      });
      ctx.restore();
    },
  };
}

/** The chart.js configuration for an input (exported for tests and tuning). */
export function barChartConfig(input: BarChartInput): ChartConfiguration<"bar", (number | null)[], string | string[]> {
  return {
    type: "bar",
    data: {
      labels: input.bars.map((b) => b.label),
      datasets: [
        {
          data: input.bars.map((b) => b.value),
          backgroundColor: input.bars.map((b) => COLORS[b.tone]),
          borderRadius: 4,
          barPercentage: 0.78,
          categoryPercentage: 0.92,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      events: [],
      layout: { padding: { top: 16, right: 190, bottom: input.footnote ? 16 + FOOTER : 16, left: 16 } },
      font: { family: FONT_FAMILY },
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        title: {
          display: true,
          text: input.title,
          color: "#111111",
          font: { family: FONT_FAMILY, size: 36, weight: "bold" },
          padding: { top: 8, bottom: 6 },
        },
        subtitle: {
          display: input.subtitle.length > 0,
          text: input.subtitle,
          color: "#424242",
          font: { family: FONT_FAMILY, size: 22 },
          padding: { bottom: 22 },
        },
      },
      scales: {
        x: {
          min: 0,
          max: input.max > 0 ? input.max : 1,
          position: "top",
          // chart.js adds the maximum (e.g. 105) as a last tick that crowds out 100: keep round steps only.
          afterBuildTicks(axis: { max: number; ticks: { value: number }[] }) {
            const step = (axis.ticks[1]?.value ?? 0) - (axis.ticks[0]?.value ?? 0);
            if (step <= 0) return;
            const ticks: { value: number }[] = [];
            for (let v = 0; v <= axis.max + 1e-9; v += step) ticks.push({ value: Math.round(v * 1e6) / 1e6 });
            axis.ticks = ticks;
          },
          grid: { color: "#E6E6E6" },
          border: { display: false },
          ticks: { color: "#616161", font: { family: FONT_FAMILY, size: 18 } },
          title: {
            display: true,
            text: input.axisLabel,
            color: "#424242",
            font: { family: FONT_FAMILY, size: 20 },
          },
        },
        y: {
          grid: { display: false },
          ticks: {
            autoSkip: false,
            color: (ctx: { index: number }) => (input.bars[ctx.index]?.tone === "missing" ? "#757575" : "#1A1A1A"),
            font: { family: FONT_FAMILY, size: 24 },
          },
        },
      },
    },
    plugins: [whiteBackground, valueLabels(input.bars), footnote(input.footnote)],
  };
}

/** Draws the chart (on this thread) and starts encoding it as a PNG (on libuv's thread pool). */
function drawAndEncode(input: BarChartInput): Promise<Buffer> {
  registerChartFonts();
  const { width, height } = sizeOf(input);
  const canvas = createCanvas(width, height);
  const ctx: SKRSContext2D = canvas.getContext("2d");
  // chart.js is typed for the DOM canvas; @napi-rs/canvas implements the same 2D API.
  const chart = new Chart(ctx as unknown as ChartItem, barChartConfig(input));
  let encoding: Promise<Buffer>;
  try {
    chart.draw();
    encoding = canvas.encode("png");
  } catch (err) {
    chart.destroy();
    throw err;
  }
  // destroy() clears the canvas: only once the PNG is made
  return encoding.finally(() => chart.destroy());
}

/** Draws the chart and returns the PNG bytes. */
export async function renderBarChart(input: BarChartInput): Promise<Buffer> {
  return drawAndEncode(input);
}

/**
 * The PNGs of several charts (a large cluster's pages), in order, each drawn while the one
 * before is still being encoded on the thread pool: the PNG encoding (zlib, more than half
 * of a 50-bar page's cost) runs beside the drawing instead of after it. At most two
 * canvases (~15 MB each for 50 bars) are alive at a time.
 */
export async function* renderBarCharts(inputs: BarChartInput[]): AsyncGenerator<Buffer> {
  let pending: Promise<Buffer> | undefined;
  try {
    for (const input of inputs) {
      const next = drawAndEncode(input);
      if (pending) yield await pending;
      pending = next;
    }
    if (pending) yield await pending;
    pending = undefined;
  } finally {
    // a consumer that stopped early: let the last encoding finish unobserved
    pending?.catch(() => undefined);
  }
}
