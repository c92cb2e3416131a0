import type { FetchResponse, HeadersOptions } from "openapi-fetch";

import type { paths } from "../generated/client-api.js";
import type { TokenSource } from "./credentials.js";
import type { ApiError } from "./errors.js";
import type { RetrySetting } from "./retry.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

/** Paths of the spec that have an operation for `Method`. */
export type PathsWithMethod<Method extends HttpMethod> = {
  [Path in keyof paths]: paths[Path] extends Record<Method, object> ? Path : never;
}[keyof paths];

/** Options that every call accepts besides its `params` and `body`. */
export interface CallOptions {
  /** Headers for this call only. `Authorization` is not allowed: use `token`. */
  headers?: HeadersOptions;
  /** Aborts the call, including any wait between retries. The call then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Timeout of each attempt of this call in milliseconds, or `false` for none. Overrides the client's. */
  timeout?: number | false;
  /** Retry setting for this call. Fields left out come from the client's policy. */
  retry?: RetrySetting;
  /** Token for this call only, instead of the client's `token`. */
  token?: TokenSource;
}

type RequiredKeys<Type> = { [Key in keyof Type]-?: object extends Pick<Type, Key> ? never : Key }[keyof Type];

type Operation<Path extends keyof paths, Method extends HttpMethod> = paths[Path][Method];

type JsonContent<RequestBody> = RequestBody extends { content: { "application/json": infer Body } } ? Body : never;

/** `body` is required, optional or absent as the operation's `requestBody` is. */
type BodyOption<Op> = Op extends { requestBody: infer RequestBody }
  ? { body: JsonContent<RequestBody> }
  : Op extends { requestBody?: infer RequestBody }
    ? [JsonContent<NonNullable<RequestBody>>] extends [never]
      ? { body?: never }
      : { body?: JsonContent<NonNullable<RequestBody>> }
    : { body?: never };

/** `params` is required when any parameter is. */
type ParamsOption<Op> = Op extends { parameters: infer Parameters }
  ? [RequiredKeys<Parameters>] extends [never]
    ? { params?: Parameters }
    : { params: Parameters }
  : { params?: never };

/**
 * The second argument of a call: `params` and `body` as the spec types them, plus the call
 * options. Written here rather than taken from openapi-fetch, whose version lets unknown body
 * fields through and cannot tell an optional argument inside a generic method.
 */
export type OperationInit<Path extends keyof paths, Method extends HttpMethod> = BodyOption<Operation<Path, Method>> &
  ParamsOption<Operation<Path, Method>> &
  CallOptions;

/** The second argument is optional exactly when the operation has no required `params` or `body`. */
export type InitArguments<Init> = [RequiredKeys<Init>] extends [never] ? [init?: Init] : [init: Init];

type OpenApiFetchResult<Path extends keyof paths, Method extends HttpMethod> = FetchResponse<
  paths[Path][Method] & Record<string | number, unknown>,
  object,
  "application/json"
>;

/** The parsed body of a 2xx response, as the spec types it. */
export type SuccessData<Path extends keyof paths, Method extends HttpMethod> = Extract<
  OpenApiFetchResult<Path, Method>,
  { data: unknown }
>["data"];

/** The body of an error response, as the spec types it. */
export type ErrorBody<Path extends keyof paths, Method extends HttpMethod> = Extract<
  OpenApiFetchResult<Path, Method>,
  { error: unknown }
>["error"];

/**
 * The result of a call. `error` is set exactly when the status is outside 2xx. On a 2xx `data`
 * is the parsed body, or `undefined` when the body is empty (a 204, or a 200 without a body).
 */
export type ApiResult<Data, Body> =
  | { data: Data | undefined; error?: undefined; response: Response }
  | { data?: undefined; error: ApiError<Body>; response: Response };

export type OperationResult<Path extends keyof paths, Method extends HttpMethod> = ApiResult<
  SuccessData<Path, Method>,
  ErrorBody<Path, Method>
>;

/** A typed call of one HTTP method: `client.POST("/verify/sms", { body: { verificationCode } })`. */
export type ClientMethod<Method extends HttpMethod> = <Path extends PathsWithMethod<Method>>(
  path: Path,
  ...init: InitArguments<OperationInit<Path, Method>>
) => Promise<OperationResult<Path, Method>>;
