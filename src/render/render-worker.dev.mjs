// The render worker from the TypeScript sources (vitest, tsx, the bench): tsx's loader is
// registered in this thread first (vitest's transform does not reach worker threads), then
// ./render-worker.ts is loaded. A build runs dist/render-worker.js instead.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");
