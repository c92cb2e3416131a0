import { defaultAuth, operationAuth, type AuthMethod } from "../generated/operation-auth.js";
import { encodeTenantCredentials, resolveToken, type TokenSource } from "./credentials.js";
import { MissingCredentialsError } from "./errors.js";

export interface Credentials {
  token: TokenSource | undefined;
  /** The option the token came from, named in messages: `"token"`, for the client's or the call's. */
  tokenOption: string;
  tenantId: string | undefined;
}

/**
 * Returns the Authorization header for an operation, or `undefined` for one that needs none.
 * Which methods an operation accepts comes from the spec's security requirements, through the
 * generated table: a bearer token when one is available, otherwise tenant Basic auth where the
 * operation allows it. The token function is called only for operations that accept a token.
 *
 * @throws {MissingCredentialsError} when no accepted method has credentials; nothing is sent then.
 */
export async function chooseAuthorization(operation: string, credentials: Credentials): Promise<string | undefined> {
  const accepted = operationAuth[operation] ?? defaultAuth;
  const token = accepted.includes("bearer")
    ? await resolveToken(credentials.token, credentials.tokenOption)
    : undefined;

  if (token !== undefined) return `Bearer ${token}`;
  if (credentials.tenantId !== undefined && accepted.includes("basic"))
    return `Basic ${encodeTenantCredentials(credentials.tenantId)}`;
  if (accepted.includes("anonymous")) return undefined;

  throw missingCredentials(operation, accepted, credentials);
}

function missingCredentials(
  operation: string,
  accepted: readonly AuthMethod[],
  credentials: Credentials,
): MissingCredentialsError {
  const options = [
    accepted.includes("bearer") ? "token" : undefined,
    accepted.includes("basic") ? "tenantId" : undefined,
  ].filter((option) => option !== undefined);

  const optionList = options.map((option) => `\`${option}\``).join(" or ");
  const tokenNote =
    typeof credentials.token === "function" ? ` The \`${credentials.tokenOption}\` function returned no token.` : "";

  return new MissingCredentialsError(
    operation,
    options,
    `${operation} was not sent because the client has no credentials that this operation accepts.${tokenNote} ` +
      `Pass the ${optionList} option to createClient.`,
  );
}
