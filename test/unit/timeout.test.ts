import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

import {
  AbortError,
  createClient,
  DEFAULT_TIMEOUT,
  InvalidOptionError,
  TimeoutError,
  isAbortError,
  isTimeoutError,
} from "../../src/index.js";
import { createHangingFetch } from "../support/hanging-fetch.js";
import { recordError, SECRET_TOKEN } from "../support/secrets.js";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** Starts a call and records how it settles, so the test can advance the fake clock meanwhile. */
function track(call: Promise<unknown>) {
  const outcome: { settled: boolean; error?: unknown } = { settled: false };
  call.then(
    () => {
      outcome.settled = true;
    },
    (error: unknown) => {
      outcome.settled = true;
      outcome.error = recordError(error);
    },
  );
  return outcome;
}

describe("timeout", () => {
  test("defaults to ten seconds", async () => {
    const { fetch } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: false });

    const outcome = track(client.POST("/challenge/email-otp", { body: {} }));
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT - 1);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(DEFAULT_TIMEOUT).toBe(10_000);
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.error).toMatchObject({ timeout: 10_000, method: "POST" });
  });

  test("is set per client", async () => {
    const { fetch } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, timeout: 250, retry: false });

    const outcome = track(client.POST("/challenge/email-otp", { body: {} }));
    await vi.advanceTimersByTimeAsync(250);

    expect(isTimeoutError(outcome.error)).toBe(true);
    expect(outcome.error).toMatchObject({ timeout: 250 });
  });

  test("per call overrides the client", async () => {
    const { fetch } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, timeout: 250, retry: false });

    const outcome = track(client.POST("/challenge/email-otp", { body: {}, timeout: 1_000 }));
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome.error).toMatchObject({ name: "TimeoutError", timeout: 1_000 });
  });

  test("false disables it", async () => {
    const { fetch, requests } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, timeout: false, retry: false });

    const outcome = track(client.POST("/challenge/email-otp", { body: {} }));
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);

    expect(outcome.settled).toBe(false);
    expect(requests[0]?.signal.aborted).toBe(false);
  });

  test("gives each call its own deadline", async () => {
    const { fetch, requests } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, timeout: 100, retry: false });

    const first = track(client.POST("/challenge/email-otp", { body: {} }));
    await vi.advanceTimersByTimeAsync(60);
    const second = track(client.POST("/challenge/email-otp", { body: {} }));
    await vi.advanceTimersByTimeAsync(40);

    expect(isTimeoutError(first.error)).toBe(true);
    expect(second.settled).toBe(false);
    expect(requests[1]?.signal.aborted).toBe(false);

    await vi.advanceTimersByTimeAsync(60);
    expect(isTimeoutError(second.error)).toBe(true);
  });

  test("gives each retry a new deadline", async () => {
    const { fetch, requests } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, timeout: 100, retry: { limit: 1, baseDelay: 0 } });

    const outcome = track(client.GET("/authenticators"));
    await vi.advanceTimersByTimeAsync(101);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(100);

    expect(isTimeoutError(outcome.error)).toBe(true);
  });

  test.each([0, -1, 1.5, 2 ** 31, "10s", true])("rejects %j", (timeout) => {
    expect(() => createClient({ token: SECRET_TOKEN, timeout: timeout as number })).toThrow(InvalidOptionError);
    expect(() => createClient({ token: SECRET_TOKEN, timeout: timeout as number })).toThrow(
      "The `timeout` option must be false or a whole number of milliseconds",
    );
  });
});

describe("abort signal", () => {
  test("aborts a pending call", async () => {
    const { fetch } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: false });
    const controller = new AbortController();

    const outcome = track(client.POST("/challenge/email-otp", { body: {}, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("user closed the dialog"));
    await vi.advanceTimersByTimeAsync(0);

    expect(outcome.error).toBeInstanceOf(AbortError);
    expect(isTimeoutError(outcome.error)).toBe(false);
    expect((outcome.error as AbortError).cause).toEqual(new Error("user closed the dialog"));
  });

  test("already aborted sends nothing", async () => {
    const { fetch, requests } = createHangingFetch();
    const client = createClient({ token: SECRET_TOKEN, fetch });

    const outcome = track(client.GET("/authenticators", { signal: AbortSignal.abort() }));
    await vi.advanceTimersByTimeAsync(0);

    expect(isAbortError(outcome.error)).toBe(true);
    expect(requests).toHaveLength(0);
  });

  test("stops the wait between retries", async () => {
    const responses: Response[] = [];
    const fetch = async (request: Request) => {
      responses.push(new Response("", { status: 503 }));
      void request;
      return responses.at(-1) as Response;
    };
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: { baseDelay: 60_000, maxDelay: 60_000 } });
    const controller = new AbortController();

    const outcome = track(client.GET("/authenticators", { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);

    expect(isAbortError(outcome.error)).toBe(true);
    expect(responses).toHaveLength(1);
  });

  test("does not leave listeners on the signal", async () => {
    const signal = new AbortController().signal;
    const added: string[] = [];
    const removed: string[] = [];
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
      added.push(type);
      add(type, listener, options);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: EventListener) => {
      removed.push(type);
      remove(type, listener);
    }) as typeof signal.removeEventListener;
    const fetch = async () => new Response("{}", { status: 200 });
    const client = createClient({ token: SECRET_TOKEN, fetch });

    await client.POST("/challenge/email-otp", { body: {}, signal });

    expect(added).toEqual(["abort"]);
    expect(removed).toEqual(["abort"]);
  });
});
