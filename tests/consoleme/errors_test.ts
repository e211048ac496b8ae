import { AuthRejectedError, brokerError, isAuthRejection } from "../../src/consoleme/errors.ts";
import type { HttpResponse } from "../../src/consoleme/http.ts";
import { assert, assertEquals } from "../support/assert.ts";

const ID = "5a2b1c3d-0000-4000-8000-000000000000";

function answer(status: number, body: unknown): [HttpResponse, unknown] {
  return [{ status, contentType: "application/json", text: JSON.stringify(body) }, body];
}

function shown(status: number, body: unknown, context = {}): { message: string; hints: string[] } {
  const [response, parsed] = answer(status, body);
  const error = brokerError(response, parsed, context);
  return { message: error.message, hints: error.hints };
}

Deno.test("899 names the role, keeps the server's words and asks for a full ARN", () => {
  const body = {
    code: "899",
    message: "Invalid Role ARN. Applications must pass the full role ARN",
    request_id: ID,
  };
  assertEquals(shown(403, body, { role: "app" }), {
    message:
      'ConsoleMe refused the role ARN "app": Invalid Role ARN. Applications must pass the full role ARN',
    hints: [
      "Pass the full role ARN, e.g. arn:aws:iam::123456789012:role/name",
      `ConsoleMe request id: ${ID}`,
    ],
  });
});

Deno.test("900 says no role matches and suggests weep list", () => {
  assertEquals(shown(403, { code: "900", message: "No matching roles", request_id: ID }, { role: "nope" }), {
    message: 'No role you may use matches "nope"',
    hints: [
      "Run `weep list` to see the roles you can use, then pass one of their ARNs",
      `ConsoleMe request id: ${ID}`,
    ],
  });
});

Deno.test("without a role in the context (role-list endpoints) the messages still read well", () => {
  assertEquals(shown(403, { code: "900" }).message, "No role you may use matches the request");
  assertEquals(shown(403, { code: "901" }).message, "Found more than one matching role");
  assertEquals(shown(403, { code: "902" }).message, "ConsoleMe could not get credentials: no reason given");
  assertEquals(shown(200, { code: "903" }).message, "ConsoleMe returned no credentials: no reason given");
});

Deno.test("901 lists the matching ARNs ConsoleMe sent under 'matching roles'", () => {
  const body = {
    code: "901",
    message: "More than one matching role",
    "matching roles": ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/ab"],
  };
  assertEquals(shown(403, body, { role: "a" }), {
    message: 'Found more than one matching role for "a"',
    hints: ["Pass one of these role ARNs instead:", "  arn:aws:iam::1:role/a", "  arn:aws:iam::1:role/ab"],
  });
  assertEquals(shown(403, { code: "901" }, { role: "a" }).hints, [
    "Pass a full role ARN; `weep list` shows them",
  ]);
});

Deno.test("902 shows the server's message and exception; MFA failure hints at -n", () => {
  const sts = { code: "902", message: "Unable to get credentials.", exception: "AccessDenied: not allowed" };
  assertEquals(shown(403, sts, { role: "r" }), {
    message:
      'ConsoleMe could not get credentials for "r": Unable to get credentials.: AccessDenied: not allowed',
    hints: [],
  });
  assertEquals(shown(403, { code: "902", message: "MFA Not Successful" }, { role: "r" }), {
    message: 'ConsoleMe could not get credentials for "r": MFA Not Successful',
    hints: ["--no-ip needs an approved MFA push; try again without -n"],
  });
});

Deno.test("903 (sent with HTTP 200) says no credentials came back", () => {
  const body = { code: "903", message: "Requested role not found in eligible roles", request_id: ID };
  assertEquals(
    shown(200, body, { role: "r" }).message,
    'ConsoleMe returned no credentials for "r": Requested role not found in eligible roles',
  );
});

Deno.test("904 shows the validation text; the metadata hint only when metadata was sent", () => {
  const body = {
    code: "904",
    message: 'Invalid JSON sent to the server:\n{\n  "metadata": [\n    "Unknown field."\n  ]\n}',
  };
  const plain = shown(400, body);
  assertEquals(plain.message, `ConsoleMe rejected weep's request: ${body.message}`);
  assertEquals(plain.hints, []);
  assertEquals(shown(400, body, { sentMetadata: true }).hints, [
    "This server does not accept metadata: set feature_flags.consoleme_metadata to false",
  ]);
});

Deno.test("905 shows the server's message and the configured old_cert_message", () => {
  const body = { code: "905", message: "MTLS certificate is too old. Please refresh your certificate." };
  assertEquals(shown(403, body, { oldCertMessage: "Run certtool refresh" }), {
    message: "MTLS certificate is too old. Please refresh your certificate.",
    hints: ["Run certtool refresh"],
  });
  assertEquals(shown(403, { code: "905" }), {
    message: "ConsoleMe says the mTLS certificate is too old",
    hints: ["Refresh your mTLS certificate"],
  });
});

Deno.test("906 and invalid_jwt", () => {
  assertEquals(
    shown(400, { code: "906", message: "No matching account." }).message,
    "ConsoleMe found no matching account: No matching account.",
  );
  const [response, body] = answer(403, { code: "invalid_jwt", message: "JWT is invalid or has expired." });
  const error = brokerError(response, body);
  assert(error instanceof AuthRejectedError);
  assertEquals(error.message, "ConsoleMe rejected the login session: JWT is invalid or has expired.");
});

Deno.test("problem+json: the status and message; a 403 without a cookie hints at logging in", () => {
  const forbidden = { status: 403, title: "Forbidden", message: "Forbidden" };
  assertEquals(shown(403, forbidden, { sentCookie: false }), {
    message: "ConsoleMe answered HTTP 403: Forbidden",
    hints: ["Log in again, or check authentication_method"],
  });
  assertEquals(
    shown(500, { status: 500, title: "Internal Server Error", message: "Internal Server Error" }),
    {
      message: "ConsoleMe answered HTTP 500: Internal Server Error",
      hints: [],
    },
  );
  // Typeahead's problem+json has only a message: Netflix weep showed an empty error here.
  assertEquals(
    shown(400, { status: 400, message: "`search` parameter must be defined" }).message,
    "ConsoleMe answered HTTP 400: `search` parameter must be defined",
  );
});

Deno.test("WebResponse errors are joined; unknown shapes quote the trimmed body", () => {
  const web = {
    status: "error",
    reason: "invalid_data",
    status_code: 404,
    errors: ["Resource not found", "Try again"],
  };
  assertEquals(shown(404, web).message, "ConsoleMe answered HTTP 404: Resource not found; Try again");
  const odd = { code: "999", detail: "teapot ".repeat(50) };
  const error = shown(418, odd);
  assertEquals(error.message, "ConsoleMe answered with an unexpected response (HTTP 418)");
  assertEquals(error.hints, [`Response: ${JSON.stringify(odd).replace(/\s+/g, " ").slice(0, 200)}...`]);
  assertEquals(
    shown(502, ["not", "an", "object"]).message,
    "ConsoleMe answered with an unexpected response (HTTP 502)",
  );
});

Deno.test("isAuthRejection: invalid_jwt always; a Forbidden problem+json only when a cookie was sent", () => {
  const forbidden = { status: 403, title: "Forbidden", message: "Forbidden" };
  assert(isAuthRejection(403, { code: "invalid_jwt" }, false));
  assert(isAuthRejection(403, forbidden, true));
  assert(!isAuthRejection(403, forbidden, false));
  assert(!isAuthRejection(403, { code: "900", title: "Forbidden" }, true));
  assert(!isAuthRejection(500, { status: 500, title: "Internal Server Error" }, true));
  assert(!isAuthRejection(403, "<html>", true));
});

Deno.test("ConsoleMe's 90x codes are refusals; server errors, throttles and garbled answers are transient", () => {
  const failure = (status: number, body: unknown) => brokerError(...answer(status, body)).failure;
  for (const code of ["899", "900", "901", "902", "903", "904", "905", "906"]) {
    assertEquals(failure(code === "903" ? 200 : 403, { code, message: "m" }), "refusal", code);
  }
  assertEquals(failure(403, { code: "invalid_jwt", message: "m" }), "transient");
  assertEquals(failure(500, { status: 500, title: "Internal Server Error" }), "transient");
  assertEquals(failure(503, { status: "error", errors: ["down"] }), "transient");
  assertEquals(failure(429, { status: 429, title: "Too Many Requests" }), "transient");
  assertEquals(failure(403, { status: 403, title: "Forbidden" }), "transient");
  assertEquals(failure(502, ["not", "an", "object"]), "transient");
  assertEquals(failure(404, { status: 404, title: "Not Found" }), "final");
  assertEquals(new AuthRejectedError().failure, "transient");
});
