/**
 * A throw-away self-signed EC certificate and key made with openssl, for tests of mTLS clients.
 *
 * @module
 */

import { requireTool } from "./tools.ts";

/**
 * Writes `<dir>/me.crt` and `<dir>/me.key` (CN weep-test, 1 day). False when openssl is missing, after
 * {@linkcode requireTool} has said why the test skips; an openssl that fails is an error.
 */
export async function selfSignedCert(dir: string): Promise<boolean> {
  const openssl = await requireTool("openssl");
  if (!openssl) return false;
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  args.push("-days", "1", "-subj", "/CN=weep-test", "-keyout", `${dir}/me.key`, "-out", `${dir}/me.crt`);
  const out = await new Deno.Command(openssl, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
  return true;
}
