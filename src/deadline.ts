/**
 * One request's abort signal, combining its own timeout with the caller's `AbortSignal`. Each
 * request, and each retry of it, gets a new one, so no deadline is shared between requests.
 */
export interface Deadline {
  signal: AbortSignal;
  /** Whether the timeout fired (as opposed to the caller aborting). */
  timedOut(): boolean;
  /** Whether the caller's signal aborted the request. */
  callerAborted(): boolean;
  /** Clears the timer and the listener on the caller's signal. Call it once the response is read. */
  dispose(): void;
}

/**
 * Starts a deadline of `timeout` milliseconds (or none for `false`). Written with a timer and a
 * listener rather than `AbortSignal.timeout` and `AbortSignal.any`, which some React Native
 * engines lack.
 */
export function startDeadline(timeout: number | false, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let timedOut = false;

  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });

  const timer =
    timeout === false
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`The request timed out after ${timeout} ms.`));
        }, timeout);

  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    callerAborted: () => callerSignal?.aborted === true && !timedOut,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** Waits `delay` milliseconds, or rejects with the signal's reason as soon as the signal aborts. */
export function sleep(delay: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }

    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };

    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delay);

    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
