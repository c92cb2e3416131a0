/**
 * Runs a short sign-up and sign-in flow through the client and prints each step.
 *
 * Without AUTHSIGNAL_TOKEN it starts a Prism mock server from the committed spec on 127.0.0.1 and
 * runs against that. With AUTHSIGNAL_TOKEN set it runs against the real Client API instead, in
 * AUTHSIGNAL_REGION (default "us"), enrolling AUTHSIGNAL_EMAIL and, when AUTHSIGNAL_TENANT_ID is set,
 * starting a passkey sign-in with tenant auth. The email code is read from the terminal.
 */
import { createInterface } from "node:readline/promises";

import { startPrism, type PrismServer } from "../scripts/lib/prism.js";
import { createClient, type ApiResult, type AuthsignalClient, type Region } from "../src/index.js";

interface DemoSettings {
  token: string;
  tenantId: string | undefined;
  email: string;
  readCode: () => Promise<string>;
  clientOptions: { baseUrl: string } | { region: Region };
}

async function main(): Promise<void> {
  const token = process.env.AUTHSIGNAL_TOKEN;
  if (token) {
    await runFlow(liveSettings(token));
    return;
  }

  console.log("AUTHSIGNAL_TOKEN is not set, so the demo runs against a Prism mock of spec/client-api.json.");
  const prism = await startPrism();
  console.log(`Prism is listening on ${prism.url}`);

  try {
    await runFlow(mockSettings(prism));
  } finally {
    await prism.stop();
  }
}

function mockSettings(prism: PrismServer): DemoSettings {
  return {
    token: "demo-token-from-track-action",
    tenantId: "0f3c1a9e-5b2d-4c8e-9a71-2d6f0b8c4e13",
    email: "ada@example.com",
    readCode: async () => "123456",
    clientOptions: { baseUrl: prism.url },
  };
}

function liveSettings(token: string): DemoSettings {
  const region = (process.env.AUTHSIGNAL_REGION ?? "us") as Region;
  const email = process.env.AUTHSIGNAL_EMAIL;

  if (!email) {
    throw new Error(
      "AUTHSIGNAL_EMAIL is not set. The live demo enrolls email OTP, so set it to an address whose inbox you can read.",
    );
  }

  console.log(`AUTHSIGNAL_TOKEN is set, so the demo runs against the real Client API in region "${region}".`);

  return {
    token,
    tenantId: process.env.AUTHSIGNAL_TENANT_ID || undefined,
    email,
    readCode: promptForCode,
    clientOptions: { region },
  };
}

async function promptForCode(): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });

  try {
    return (await prompt.question("  Enter the code from the email: ")).trim();
  } finally {
    prompt.close();
  }
}

async function runFlow(settings: DemoSettings): Promise<void> {
  const { clientOptions } = settings;
  const client = createClient({ ...clientOptions, token: settings.token });

  await step("1. List the tenant's authenticator configurations", async () => {
    const configurations = unwrap(await client.GET("/authenticators"));
    for (const configuration of configurations) {
      console.log(`  ${configuration.verificationMethod}: ${configuration.isActive ? "active" : "inactive"}`);
    }
  });

  await step(`2. Enroll email OTP for ${settings.email}`, async () => {
    const enrollment = unwrap(await client.POST("/user-authenticators/email-otp", { body: { email: settings.email } }));
    console.log(`  userAuthenticatorId: ${enrollment.userAuthenticatorId ?? "(none)"}`);
  });

  await step("3. Verify the code", async () => {
    const verificationCode = await settings.readCode();
    const verification = unwrap(await client.POST("/verify/email-otp", { body: { verificationCode } }));
    console.log(`  isVerified: ${verification.isVerified}`);
    if (verification.failureReason) console.log(`  failureReason: ${verification.failureReason}`);
    if (verification.accessToken) {
      // The new token carries more scopes; the client uses it only because the app calls setToken.
      client.setToken(verification.accessToken);
      console.log("  accessToken: received (not printed) and adopted with client.setToken");
    } else {
      console.log("  accessToken: none");
    }
  });

  await step("4. List the user's authenticators", async () => {
    const authenticators = unwrap(await client.GET("/user-authenticators"));
    for (const authenticator of authenticators) {
      console.log(`  ${authenticator.verificationMethod} created ${authenticator.createdAt}`);
    }
  });

  const { tenantId } = settings;
  if (tenantId === undefined) {
    console.log("\n5. Start a passkey sign-in with tenant auth: skipped, because AUTHSIGNAL_TENANT_ID is not set.");
    return;
  }

  await step("5. Start a passkey sign-in with tenant auth", () =>
    startPasskeySignIn(createClient({ ...clientOptions, tenantId })),
  );
}

async function startPasskeySignIn(tenantClient: AuthsignalClient): Promise<void> {
  const challenge = unwrap(await tenantClient.POST("/challenge", { body: { action: "signInWithPasskey" } }));
  console.log(`  challengeId: ${challenge.challengeId}`);

  const options = unwrap(
    await tenantClient.POST("/user-authenticators/passkey/authentication-options", {
      body: { challengeId: challenge.challengeId },
    }),
  );
  console.log(`  passkey challengeId: ${options.challengeId}`);
  console.log(
    "  The app now passes `options` to navigator.credentials.get() and sends the result to POST /verify/passkey.",
  );
}

async function step(title: string, run: () => Promise<void>): Promise<void> {
  console.log(`\n${title}`);
  await run();
}

/** Returns the data of a 2xx response, or throws the call's `ApiError`, whose message names the status and error code. */
function unwrap<Data, Body>(result: ApiResult<Data, Body>): Data {
  if (result.error !== undefined) throw result.error;
  if (result.data === undefined)
    throw new Error(`${result.response.url} returned HTTP ${result.response.status} with an empty body.`);

  return result.data;
}

main().then(
  () => console.log("\nDemo finished."),
  (error: unknown) => {
    console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
