import { spawnSync } from "node:child_process";

import { describe, expect, test } from "vitest";

import { REPOSITORY_ROOT } from "../scripts/lib/paths.js";

describe("demo", () => {
  test("runs every step against the mock", () => {
    const environment = { ...process.env };
    // Without a token the demo must start its own Prism and never reach the real API.
    delete environment.AUTHSIGNAL_TOKEN;

    const run = spawnSync(process.execPath, ["--import", "tsx", "demo/main.ts"], {
      cwd: REPOSITORY_ROOT,
      env: environment,
      encoding: "utf8",
      timeout: 60_000,
    });

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("runs against a Prism mock");
    expect(run.stdout).toMatch(/Prism is listening on http:\/\/127\.0\.0\.1:\d+/);
    for (const step of [
      "1. List the tenant's",
      "2. Enroll email OTP",
      "3. Verify the code",
      "4. List the user's",
      "5. Start a passkey sign-in",
    ]) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toContain("Demo finished.");
  });

  test("stops with a clear error when live mode lacks an email", () => {
    // An unknown region makes createClient reject before any request, should the email check ever move.
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      AUTHSIGNAL_TOKEN: "live-token-for-test",
      AUTHSIGNAL_REGION: "nowhere",
    };
    delete environment.AUTHSIGNAL_EMAIL;

    const run = spawnSync(process.execPath, ["--import", "tsx", "demo/main.ts"], {
      cwd: REPOSITORY_ROOT,
      env: environment,
      encoding: "utf8",
      timeout: 60_000,
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("AUTHSIGNAL_EMAIL is not set");
    expect(run.stdout + run.stderr).not.toContain("live-token-for-test");
  });
});
