import type { Middleware } from "openapi-fetch";

import { defaultAuth, operationAuth, type AuthMethod } from "../generated/operation-auth.js";
import { encodeTenantCredentials, resolveToken, type TokenSource } from "./credentials.js";
import { MissingCredentialsError } from "./errors.js";

export interface AuthSettings {
  token: TokenSource | undefined;
  tenantId: string | undefined;
}

/**
 * Creates the middleware that sets the Authorization header of each request. Which methods an
 * operation accepts comes from the spec's security requirements, through the generated table:
 * a bearer token when one is available, otherwise tenant Basic auth where the operation allows it.
 * When neither fits, the request is not sent and the call rejects with a `MissingCredentialsError`.
 */
export function createAuthMiddleware(settings: AuthSettings): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      const operation = `${request.method} ${schemaPath}`;
      const accepted = operationAuth[operation] ?? defaultAuth;
      const token = accepted.includes("bearer") ? await resolveToken(settings.token) : undefined;

      const authorization = chooseAuthorization(accepted, token, settings.tenantId);
      if (authorization === null) throw missingCredentials(operation, accepted, settings);

      if (authorization === undefined) request.headers.delete("Authorization");
      else request.headers.set("Authorization", authorization);

      return request;
    },
  };
}

/** Returns the header value, `undefined` for an anonymous request, or `null` when nothing fits. */
function chooseAuthorization(accepted: readonly AuthMethod[], token: string | undefined, tenantId: string | undefined): string | undefined | null {
  if (token !== undefined && accepted.includes("bearer")) return `Bearer ${token}`;
  if (tenantId !== undefined && accepted.includes("basic")) return `Basic ${encodeTenantCredentials(tenantId)}`;
  if (accepted.includes("anonymous")) return undefined;

  return null;
}

function missingCredentials(operation: string, accepted: readonly AuthMethod[], settings: AuthSettings): MissingCredentialsError {
  const options = [accepted.includes("bearer") ? "token" : undefined, accepted.includes("basic") ? "tenantId" : undefined].filter(
    (option) => option !== undefined,
  );

  const optionList = options.map((option) => `\`${option}\``).join(" or ");
  const tokenNote = typeof settings.token === "function" ? " The `token` function returned no token." : "";

  return new MissingCredentialsError(
    operation,
    options,
    `${operation} was not sent because the client has no credentials that this operation accepts.${tokenNote} ` +
      `Pass the ${optionList} option to createClient.`,
  );
}
