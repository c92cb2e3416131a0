import type { Client, Middleware } from "openapi-fetch";

import { chooseAuthorization } from "./auth.js";
import { checkTokenSource } from "./credentials.js";
import { startDeadline, sleep } from "./deadline.js";
import { isAbortError, isAuthsignalClientError } from "./error-guards.js";
import { AbortError, type ApiError, type RequestTarget, type TransportError } from "./errors.js";
import { checkHeaders, checkTimeout, type ResolvedOptions } from "./options.js";
import { parseSuccessBody, toApiError, type RawResult } from "./response.js";
import { applyRetrySetting, backoffDelay, canRetryMethod, delayAfterResponse, type RetryPolicy } from "./retry.js";
import { toTransportError } from "./transport.js";
import type { CallOptions } from "./types.js";

/** The parts of a client that a call uses. `options` is read on every call, because `setToken` replaces it. */
export interface ClientState {
  options: ResolvedOptions;
  openApiClient: Client<Record<string, never>>;
}

interface CallInit extends CallOptions {
  params?: unknown;
  body?: unknown;
}

interface PreparedCall {
  operation: string;
  init: CallInit;
  timeout: number | false;
  retry: RetryPolicy;
}

type CallResult = { data: unknown; response: Response } | { error: ApiError; response: Response };

/**
 * Sends one call: it checks the call's options, then sends attempts until one gets a response
 * that is not retried, and turns that response into `{ data }` or `{ error }`. Transport failures
 * that are not retried are thrown as typed errors.
 */
export async function sendCall(
  state: ClientState,
  method: string,
  path: string,
  init: CallInit = {},
): Promise<CallResult> {
  const call = prepareCall(state, method, path, init);
  if (init.signal?.aborted)
    throw new AbortError({ method, url: `${state.options.baseUrl}${path}` }, init.signal.reason);

  for (let retryIndex = 0; ; retryIndex += 1) {
    const canRetry = retryIndex < call.retry.limit && canRetryMethod(call.retry, method);
    const outcome = await sendAttempt(state, call, method, path);

    if (outcome.kind === "failure") {
      if (!canRetry || isAbortError(outcome.error)) throw outcome.error;

      await waitBeforeRetry(backoffDelay(call.retry, retryIndex), init.signal, outcome.error);
      continue;
    }

    const { raw, errorText, target } = outcome;
    if (raw.response.ok) return { data: parseSuccessBody(raw, target), response: raw.response };

    const delay = canRetry ? delayAfterResponse(call.retry, retryIndex, raw.response) : undefined;
    if (delay !== undefined) {
      await waitBeforeRetry(delay, init.signal, { method: target.method, url: target.url });
      continue;
    }

    const error = toApiError(raw.response, errorText, target);
    if (error.errorCode === "expired_token") await state.options.onTokenExpired?.({ operation: call.operation, error });

    return { error, response: raw.response };
  }
}

function prepareCall(state: ClientState, method: string, path: string, init: CallInit): PreparedCall {
  if (init.token !== undefined) checkTokenSource(init.token, "token");
  checkHeaders(init.headers, "headers");

  return {
    operation: `${method} ${path}`,
    init,
    timeout: checkTimeout(init.timeout, state.options.timeout, "timeout"),
    retry: applyRetrySetting(state.options.retry, init.retry, "retry"),
  };
}

type AttemptOutcome =
  | { kind: "response"; raw: RawResult; errorText: string; target: RequestTarget }
  | { kind: "failure"; error: TransportError };

/** Sends one HTTP request with its own deadline and reads its whole body before the deadline ends. */
async function sendAttempt(
  state: ClientState,
  call: PreparedCall,
  method: string,
  path: string,
): Promise<AttemptOutcome> {
  const { init } = call;
  const authorization = await chooseAuthorization(call.operation, {
    token: init.token ?? state.options.token,
    tokenOption: "token",
    tenantId: state.options.tenantId,
  });

  const target: RequestTarget = { method, url: `${state.options.baseUrl}${path}` };
  const deadline = startDeadline(call.timeout, init.signal);
  const capture: ErrorBodyCapture = {};

  try {
    const raw = (await state.openApiClient.request(
      method.toLowerCase() as "get",
      path as never,
      {
        params: init.params,
        body: init.body,
        headers: init.headers,
        signal: deadline.signal,
        parseAs: "text",
        middleware: [attemptMiddleware(authorization, capture)],
      } as never,
    )) as RawResult;

    const errorText = (await capture.errorText) ?? "";
    return { kind: "response", raw, errorText, target: { method, url: raw.response.url || target.url } };
  } catch (error) {
    if (isAuthsignalClientError(error)) throw error;
    return { kind: "failure", error: toTransportError(error, target, deadline, call.timeout) };
  } finally {
    deadline.dispose();
  }
}

interface ErrorBodyCapture {
  errorText?: Promise<string>;
}

/**
 * Sets the Authorization header as the last step before sending, after the client's and the call's
 * headers are merged, so that nothing else can replace it. For a response outside 2xx it also keeps
 * the body's exact text: openapi-fetch parses an error body itself, after which a JSON string and
 * a body that is not JSON look the same.
 */
function attemptMiddleware(authorization: string | undefined, capture: ErrorBodyCapture): Middleware {
  return {
    onRequest({ request }) {
      if (authorization === undefined) request.headers.delete("Authorization");
      else request.headers.set("Authorization", authorization);

      return request;
    },

    onResponse({ response }) {
      if (response.ok) return;

      capture.errorText = response.clone().text();
      // If reading the body fails, openapi-fetch rejects with that failure; this copy's rejection is not needed.
      capture.errorText.catch(() => undefined);
    },
  };
}

/** Waits between attempts; an abort of the caller's signal during the wait rejects with an `AbortError`. */
async function waitBeforeRetry(delay: number, signal: AbortSignal | undefined, target: RequestTarget): Promise<void> {
  try {
    await sleep(delay, signal);
  } catch (reason) {
    throw new AbortError(target, reason);
  }
}
