// Run under weep's permission set by tests/platform/sandbox_test.ts: tries each file operation given on the
// command line and prints one line per operation: "<op> <path> ok" or "<op> <path> denied" or "<op> <path> error".
for (const spec of Deno.args) {
  const [op, path] = spec.split(":", 2) as [string, string];
  let result = "ok";
  try {
    if (op === "read") await Deno.readTextFile(path);
    else if (op === "write") await Deno.writeTextFile(path, "probe\n");
    else if (op === "mkdir") await Deno.mkdir(path, { recursive: true });
  } catch (error) {
    result = error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ? "denied"
      : `error ${(error as Error).name}`;
  }
  Deno.stdout.writeSync(new TextEncoder().encode(`${op} ${path} ${result}\n`));
}
