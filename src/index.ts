export { createClient } from "./client.js";
export type { AuthsignalClient, ClientOptions } from "./client.js";
export type { TokenSource } from "./credentials.js";
export { AuthsignalClientError, InvalidOptionError, MissingCredentialsError } from "./errors.js";
export { REGION_BASE_URLS } from "./regions.js";
export type { Region } from "./regions.js";
export type { components, operations, paths } from "../generated/client-api.js";
