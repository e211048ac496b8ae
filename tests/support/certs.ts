/**
 * A throw-away self-signed EC certificate and key made with openssl, for tests of mTLS clients.
 *
 * @module
 */

/** Writes `<dir>/me.crt` and `<dir>/me.key` (CN weep-test, 1 day); false when openssl is missing or fails. */
export async function selfSignedCert(dir: string): Promise<boolean> {
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  args.push("-days", "1", "-subj", "/CN=weep-test", "-keyout", `${dir}/me.key`, "-out", `${dir}/me.crt`);
  try {
    return (await new Deno.Command("openssl", { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}
