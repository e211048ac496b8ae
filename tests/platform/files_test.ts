import { writeFileAtomic } from "../../src/platform/files.ts";
import { lockFile } from "../../src/platform/locks.ts";
import { assert, assertEquals } from "../support/assert.ts";

Deno.test("writeFileAtomic replaces the file a symbolic link points to and keeps the link", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    await Deno.mkdir(`${dir}/dotfiles`);
    await Deno.writeTextFile(`${dir}/dotfiles/config`, "old\n", { mode: 0o640 });
    await Deno.chmod(`${dir}/dotfiles/config`, 0o640);
    await Deno.symlink(`${dir}/dotfiles/config`, `${dir}/config`);
    await writeFileAtomic(`${dir}/config`, "new\n");
    assert((await Deno.lstat(`${dir}/config`)).isSymlink, "the link is still a link");
    assertEquals(await Deno.readTextFile(`${dir}/dotfiles/config`), "new\n");
    assertEquals((await Deno.stat(`${dir}/dotfiles/config`)).mode! & 0o777, 0o640);
    assertEquals((await Array.fromAsync(Deno.readDir(`${dir}/dotfiles`))).map((e) => e.name), ["config"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic creates new files 0600 in new 0700 directories, with no temporary file left", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    await writeFileAtomic(`${dir}/a/b/file`, "x");
    assertEquals((await Deno.stat(`${dir}/a/b/file`)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${dir}/a/b`)).mode! & 0o777, 0o700);
    assertEquals((await Array.fromAsync(Deno.readDir(`${dir}/a/b`))).map((e) => e.name), ["file"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic writes a text of several MiB byte for byte, characters whole across its pieces", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    // ASCII, two- and three-byte characters and surrogate pairs, shifted so that every kind meets a MiB boundary.
    const unit = "a\u00e9\u20ac\u{1F600}b";
    const text = Array.from({ length: 5 }, (_, i) => "x".repeat(i) + unit.repeat(200_000)).join("\n");
    await writeFileAtomic(`${dir}/big`, text);
    assertEquals(await Deno.readFile(`${dir}/big`), new TextEncoder().encode(text));
    await writeFileAtomic(`${dir}/empty`, "");
    assertEquals((await Deno.stat(`${dir}/empty`)).size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lockFile serialises holders in one process and is released on dispose", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    const order: string[] = [];
    const first = await lockFile(`${dir}/x.lock`);
    const second = lockFile(`${dir}/x.lock`).then(async (lock) => {
      order.push("second");
      await lock.release();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push("first done");
    await first.release();
    await second;
    assertEquals(order, ["first done", "second"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic never writes through a link planted at its temporary file, nor keeps a leftover", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    await Deno.writeTextFile(`${dir}/victim`, "precious\n");
    await Deno.symlink(`${dir}/victim`, `${dir}/config.weep-tmp`);
    await writeFileAtomic(`${dir}/config`, "new\n");
    assertEquals(await Deno.readTextFile(`${dir}/victim`), "precious\n");
    assertEquals(await Deno.readTextFile(`${dir}/config`), "new\n");
    assertEquals((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), ["config", "victim"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic with forceMode tightens an existing file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-files-" });
  try {
    await Deno.writeTextFile(`${dir}/credentials`, "old\n", { mode: 0o644 });
    await Deno.chmod(`${dir}/credentials`, 0o644);
    await writeFileAtomic(`${dir}/credentials`, "new\n", { forceMode: 0o600 });
    assertEquals((await Deno.stat(`${dir}/credentials`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
