// Type-level tests, checked by `npm run typecheck` (tsc). Each `@ts-expect-error` fails the
// type-check if the line below it ever compiles, so a loosened type cannot pass unnoticed.
import { expectTypeOf } from "vitest";

import { createClient, type ApiError, type components, type Region } from "../../src/index.js";

const client = createClient({ token: "token-1" });

export async function requestBodiesAreChecked() {
  await client.POST("/user-authenticators/email-otp", { body: { email: "ada@example.com" } });

  // @ts-expect-error `email` is required by the spec.
  await client.POST("/user-authenticators/email-otp", { body: {} });

  // @ts-expect-error a misspelled field is rejected, even with every required field present.
  await client.POST("/user-authenticators/email-otp", { body: { email: "ada@example.com", emial: "x" } });

  // @ts-expect-error an operation without a request body takes none.
  await client.POST("/user-authenticators/totp", { body: { email: "ada@example.com" } });

  // @ts-expect-error `email` is required, so the second argument is too.
  await client.POST("/user-authenticators/email-otp");

  // @ts-expect-error `smsChannel` is an enum of DEFAULT and WHATSAPP.
  await client.POST("/user-authenticators/sms", { body: { phoneNumber: "+64211234567", smsChannel: "PIGEON" } });

  // Operations whose body fields are all optional may be called without a body.
  await client.POST("/challenge/email-otp");
}

export async function pathsAndMethodsAreChecked() {
  // @ts-expect-error the path is not in the spec.
  await client.POST("/challenge/carrier-pigeon", { body: {} });

  // @ts-expect-error `/authenticators` is a GET operation.
  await client.POST("/authenticators");
}

export async function responsesAreTyped() {
  const { data, error } = await client.POST("/verify/email-otp", { body: { verificationCode: "123456" } });

  if (data !== undefined) {
    expectTypeOf(data.isVerified).toEqualTypeOf<boolean>();
    expectTypeOf(data.accessToken).toEqualTypeOf<string | undefined>();
  }

  if (error !== undefined) {
    expectTypeOf(error).toEqualTypeOf<ApiError<components["schemas"]["ErrorResponse"]>>();
    expectTypeOf(error.errorCode).toEqualTypeOf<string | undefined>();
    expectTypeOf(error.status).toEqualTypeOf<number>();
  }

  const list = await client.GET("/user-authenticators");
  if (list.data !== undefined) {
    // Arrays keep their mutating methods because the types are generated without `immutable`.
    list.data.sort((left, right) => left.createdAt.localeCompare(right.createdAt));
    expectTypeOf(list.data[0]?.createdAt).toEqualTypeOf<string | undefined>();
    expectTypeOf(list.data[0]?.verificationMethod).toEqualTypeOf<
      components["schemas"]["UserAuthenticator"]["verificationMethod"] | undefined
    >();
  }
}

export function optionsAreChecked() {
  expectTypeOf<Region>().toEqualTypeOf<"us" | "eu" | "au" | "ca">();

  // @ts-expect-error "us-east-1" is not a region.
  createClient({ region: "us-east-1" });

  createClient({ token: async () => undefined, tenantId: "tenant" });
}
