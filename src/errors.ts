/** Base class of every error this package throws, so callers can catch them with one `instanceof`. */
export class AuthsignalClientError extends Error {
  override name = "AuthsignalClientError";
}

/**
 * Thrown when an option of `createClient`, or a value returned by the `token` function, is invalid.
 * The message names the option and the fix; it never contains the token or tenant ID itself.
 */
export class InvalidOptionError extends AuthsignalClientError {
  override name = "InvalidOptionError";

  /** The option that failed, such as `"region"` or `"token"`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/**
 * Thrown, before anything is sent, when a request needs credentials that the client does not have:
 * no token for an operation that requires one, or neither a token nor a tenant ID for an operation
 * that accepts either.
 */
export class MissingCredentialsError extends AuthsignalClientError {
  override name = "MissingCredentialsError";

  /** The operation, such as `"POST /challenge/email-otp"`. */
  readonly operation: string;

  /** The options that would have made the request possible, such as `["token", "tenantId"]`. */
  readonly missingOptions: readonly string[];

  constructor(operation: string, missingOptions: readonly string[], message: string) {
    super(message);
    this.operation = operation;
    this.missingOptions = missingOptions;
  }
}
