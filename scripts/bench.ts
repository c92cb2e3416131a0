/**
 * Measures what the package costs an app: the size of its browser bundle and the time the client
 * adds to each call. Prints a table; exits 1 when the bundle is over its budget.
 *
 *   npm run bench
 */
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

import createOpenApiClient from "openapi-fetch";

import type { paths } from "../generated/client-api.js";
import { createClient, REGION_BASE_URLS } from "../src/index.js";
import { REPOSITORY_ROOT } from "./lib/paths.js";

// Budget for what `import { createClient }` adds to a minified, gzipped browser bundle,
// openapi-fetch included: about half of the 14.5 KB gzipped that @authsignal/browser 1.16 ships.
const GZIP_BUDGET_BYTES = 8 * 1024;

const CALLS = 5_000;

async function bundleSize(entry: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: REPOSITORY_ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });

  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

const RESPONSE_BODY = JSON.stringify({ isVerified: true });

/** Returns a fixed JSON response in place of `fetch`, so that only the client's own work is timed. */
async function stubFetch(): Promise<Response> {
  return new Response(RESPONSE_BODY, { status: 200, headers: { "Content-Type": "application/json" } });
}

/** Mean time per call in microseconds, after 500 calls to warm up. */
async function meanCallTime(call: () => Promise<unknown>): Promise<number> {
  for (let index = 0; index < 500; index += 1) await call();

  const start = performance.now();
  for (let index = 0; index < CALLS; index += 1) await call();
  return ((performance.now() - start) * 1000) / CALLS;
}

async function main(): Promise<number> {
  const full = await bundleSize(`export { createClient } from "./src/index.ts";`);
  const openApiFetch = await bundleSize(`export { default } from "openapi-fetch";`);
  const client = createClient({ token: "benchmark-token", fetch: stubFetch });
  const clientTime = await meanCallTime(() =>
    client.POST("/verify/email-otp", { body: { verificationCode: "123456" } }),
  );

  const plainClient = createOpenApiClient<paths>({ baseUrl: REGION_BASE_URLS.us, fetch: stubFetch });
  const plainTime = await meanCallTime(() =>
    plainClient.POST("/verify/email-otp", { body: { verificationCode: "123456" } }),
  );

  console.log(`Node ${process.version}, ${process.platform} ${process.arch}\n`);
  console.log("| Measure | Value |");
  console.log("|---|---|");
  console.log(`| Bundle of createClient, minified | ${full.minified} B |`);
  console.log(`| Bundle of createClient, gzipped | ${full.gzipped} B (budget ${GZIP_BUDGET_BYTES} B) |`);
  console.log(`| openapi-fetch alone, gzipped | ${openApiFetch.gzipped} B |`);
  console.log(`| Time per call, fetch stubbed | ${clientTime.toFixed(1)} µs (mean of ${CALLS}) |`);
  console.log(`| Same call through plain openapi-fetch | ${plainTime.toFixed(1)} µs |`);

  if (full.gzipped > GZIP_BUDGET_BYTES) {
    console.error(
      `\nThe gzipped bundle is ${full.gzipped - GZIP_BUDGET_BYTES} B over its budget of ${GZIP_BUDGET_BYTES} B.`,
    );
    return 1;
  }

  return 0;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
