// Takes an exclusive lock on the file named by the first argument, says "locked", and holds it until killed.
const file = await Deno.open(Deno.args[0]!, { read: true, write: true, create: true });
await file.lock(true);
Deno.stdout.writeSync(new TextEncoder().encode("locked\n"));
setInterval(() => {}, 60_000);
