import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Checks, after each test file, that no error the file registered shows a token or tenant ID.
    setupFiles: ["test/support/scan-errors.ts"],
    // Contract and script tests start Prism or child processes, which take seconds on a small machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
