/** Client API base URLs of the regions Authsignal runs in. A tenant's data lives in one region. */
export const REGION_BASE_URLS = {
  /** United States (Oregon), the default. */
  us: "https://api.authsignal.com/v1/client",
  /** European Union (Ireland). */
  eu: "https://eu.api.authsignal.com/v1/client",
  /** Australia (Sydney). */
  au: "https://au.api.authsignal.com/v1/client",
  /** Canada (Montreal). */
  ca: "https://ca.api.authsignal.com/v1/client",
} as const;

/** The region that an Authsignal tenant is hosted in. */
export type Region = keyof typeof REGION_BASE_URLS;

export const DEFAULT_REGION: Region = "us";

export function isRegion(value: unknown): value is Region {
  return typeof value === "string" && Object.hasOwn(REGION_BASE_URLS, value);
}
