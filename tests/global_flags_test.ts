import { type App, globalsOf } from "../src/app/app.ts";
import { globalsFromArgs, readProcessCommand } from "../src/aws/process_command.ts";
import { profileCommand, type ProfileGlobals } from "../src/aws/profile_command.ts";
import { parseFastArgs } from "../src/cache/fast_path.ts";
import { buildProgram } from "../src/cli/program.ts";
import {
  GLOBAL_FLAGS,
  type GlobalFlag,
  type GlobalOptions,
  listItems,
  LOG_FORMATS,
  LOG_LEVELS,
  readArgs,
} from "../src/global_flags.ts";
import { memoryOutput } from "../src/platform/output.ts";
import { shlexSplit } from "../src/text/shlex.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { Random } from "./support/ini_gen.ts";

const FLAGS: readonly GlobalFlag[] = GLOBAL_FLAGS;
const flag = (long: string) => FLAGS.find((f) => f.long === long)!;
const RUNS = 300;

/** What commander makes of `args`: the global options of the command it would run (the command is not run). */
async function commanderGlobals(args: string[]): Promise<GlobalOptions> {
  const app = { output: memoryOutput().output } as App;
  const program = buildProgram(app);
  let seen: GlobalOptions | undefined;
  program.hook("preAction", (_root, action) => {
    seen = globalsOf(action);
    throw new Error("parsed");
  });
  await program.parseAsync(args, { from: "user" }).catch((error) => {
    if (seen === undefined) throw error;
  });
  assert(seen, `commander ran no command for ${JSON.stringify(args)}`);
  return seen;
}

/** `options` without what stands for "not given" (`noIp: false`, no `--assume-role`). */
function given(options: GlobalOptions): GlobalOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0)) {
      out[key] = value;
    }
  }
  return out as GlobalOptions;
}

Deno.test("readArgs reads every spelling commander accepts, and -- ends the options", () => {
  const read = (args: string[]) =>
    readArgs(args).map((t) => t.kind === "flag" ? [t.flag.long, t.value] : [t.kind, t.text]);
  assertEquals(read(["-c", "a.yaml", "--config=b.yaml", "-cc.yaml", "--config", "-x"]), [
    ["--config", "a.yaml"],
    ["--config", "b.yaml"],
    ["--config", "c.yaml"],
    ["--config", "-x"],
  ]);
  assertEquals(read(["-nA", "arn:a", "-nAarn:b", "-nr", "us-east-1"]), [
    ["--no-ip", undefined],
    ["--assume-role", "arn:a"],
    ["--no-ip", undefined],
    ["--assume-role", "arn:b"],
    ["--no-ip", undefined],
    ["--region", "us-east-1"],
  ]);
  assertEquals(read(["credential_process", "--no-cache", "-nx", "--no-ip=1", "r", "--", "-n", "--config"]), [
    ["operand", "credential_process"],
    ["option", "--no-cache"],
    ["--no-ip", undefined],
    ["option", "-x"],
    ["option", "--no-ip=1"],
    ["operand", "r"],
    ["operand", "-n"],
    ["operand", "--config"],
  ]);
  assertEquals(read(["-", "--region"]), [["operand", "-"], ["--region", undefined]]);
});

Deno.test("the command tree declares exactly the table's global flags", () => {
  const program = buildProgram({ output: memoryOutput().output } as App);
  const options = program.options.filter((option) => option.long !== "--version");
  assertEquals(options.map((option) => option.long), FLAGS.map((f) => f.long));
  for (const option of options) {
    const f = flag(option.long!);
    assertEquals(
      {
        short: option.short,
        takesValue: option.required,
        negate: option.negate,
        choices: option.argChoices,
        description: option.description,
      },
      {
        short: f.short,
        takesValue: f.value !== undefined,
        negate: f.long.startsWith("--no-"),
        choices: f.choices as string[] | undefined,
        description: f.description,
      },
      f.long,
    );
  }
});

/** A random value for a value flag. */
function randomValue(random: Random, f: GlobalFlag): string {
  if (f.choices) return random.pick(f.choices);
  if (f.list) {
    const arns = random.some(["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/t/b"], 2);
    return arns.join(random.pick([",", ", ", " ,"])) || random.pick(["arn:aws:iam::1:role/c", " , "]);
  }
  return random.pick(["/tmp/x.yaml", "rel/w.yaml", "-dash.yaml", "a b.yaml", "eu-west-1", "=eq", ""]);
}

/**
 * Random global flags in random spellings, with the options they mean: the last value of a flag wins, list
 * flags add up, switches are on.
 */
function randomFlags(random: Random): { words: string[]; meant: GlobalOptions } {
  const words: string[] = [];
  const meant: Record<string, unknown> = {};
  for (let n = random.int(0, 6); n > 0; n--) {
    const f = random.pick(FLAGS);
    if (f.value === undefined) {
      // A switch: alone, or clustered with a value flag that has a short form.
      const next = random.chance(0.4)
        ? random.pick(FLAGS.filter((g) => g.short && g.value && !g.choices))
        : undefined;
      meant[f.field] = true;
      if (next && f.short) {
        const value = randomValue(random, next);
        words.push(
          ...(random.chance(0.5) && value !== ""
            ? [f.short + next.short!.slice(1) + value]
            : [f.short + next.short!.slice(1), value]),
        );
        record(meant, next, value);
      } else words.push(random.chance(0.5) && f.short ? f.short : f.long);
      continue;
    }
    const value = randomValue(random, f);
    const forms: string[][] = [[f.long, value], [`${f.long}=${value}`]];
    if (f.short) forms.push([f.short, value]);
    if (f.short && value !== "") forms.push([f.short + value]);
    words.push(...random.pick(forms));
    record(meant, f, value);
  }
  return { words, meant: meant as GlobalOptions };
}

function record(meant: Record<string, unknown>, f: GlobalFlag, value: string): void {
  meant[f.field] = f.list ? [...(meant[f.field] as string[] | undefined ?? []), ...listItems(value)] : value;
}

Deno.test("every parser reads random global flags in any spelling as commander does", async () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    const random = new Random(seed);
    const { words, meant } = randomFlags(random);
    // The flags go anywhere on the line: before the command, between it and the role, after the role.
    const at = random.int(0, 2);
    const args = at === 0
      ? [...words, "credential_process", "r1"]
      : at === 1
      ? ["credential_process", ...words, "r1"]
      : ["credential_process", "r1", ...words];
    const label = `seed ${seed}: ${JSON.stringify(args)}`;
    const commander = given(await commanderGlobals(args));
    assertEquals(commander, given(meant), label);
    assertEquals(given(globalsFromArgs(args)), commander, label);
    const command = readProcessCommand(["weep", ...args].map((word) => `'${word}'`).join(" "));
    assertEquals(command.kind === "weep" && command.role, "r1", label);
    if (args[0] === "credential_process") {
      const fast = parseFastArgs(args);
      // The fast parser hands --log-file to the command tree.
      if (meant.logFile !== undefined) assertEquals(fast, undefined, label);
      else {assertEquals(fast && { role: fast.role, globals: given(fast.globals) }, {
          role: "r1",
          globals: commander,
        }, label);}
    }
  }
});

Deno.test("profiles round-trip: what generate writes, every parser and commander read back the same", async () => {
  const paths = ["/home/u/.aws/weep/a.yaml", "team/b.yaml", "/srv/my configs/c.yaml", "d e.yaml"];
  // Roles to assume hold no comma: --assume-role splits at commas before generate sees them.
  const chain = ["arn:aws:iam::123456789012:role/a", "arn:aws-cn:iam::123456789012:role/path/b+c=d.e@f-g_h"];
  const roles = [...chain, "arn:aws:iam::123456789012:role/x,y", "team_search"];
  for (let seed = 1; seed <= RUNS; seed++) {
    const random = new Random(seed);
    const globals: ProfileGlobals = {
      config: random.chance(0.5) ? random.pick(paths) : undefined,
      extraConfigFile: random.chance(0.5) ? random.pick(paths) : undefined,
      noIp: random.chance(0.5),
      assumeRole: random.some(chain, 2),
      region: random.chance(0.5) ? random.pick(["us-east-1", "eu-west-2"]) : undefined,
    };
    const facts = { execPath: "/opt/weep/weep", os: "linux" as const, cwd: "/work" };
    const { program, flags } = profileCommand(facts, globals);
    const absolute = (path: string | undefined) =>
      path === undefined ? undefined : path.startsWith("/") ? path : `/work/${path}`;
    const meant = given({
      ...globals,
      config: absolute(globals.config),
      extraConfigFile: absolute(globals.extraConfigFile),
    });
    const role = random.pick(roles);
    const line = [program, "credential_process", ...flags, role].join(" ");
    const label = `seed ${seed}: ${line}`;
    const command = readProcessCommand(line, "linux");
    assert(command.kind === "weep", label);
    assertEquals(command.role, role, label);
    assertEquals(given(globalsFromArgs(command.args)), meant, label);
    const words = shlexSplit(line)!.slice(1);
    const fast = parseFastArgs(words);
    assertEquals(fast && { role: fast.role, globals: given(fast.globals) }, { role, globals: meant }, label);
    assertEquals(given(await commanderGlobals(words)), meant, label);
  }
});

Deno.test("the table's choices are the log levels and formats, and the switches take no value", () => {
  assertEquals(flag("--log-level").choices, LOG_LEVELS);
  assertEquals(flag("--log-format").choices, LOG_FORMATS);
  assertEquals(FLAGS.filter((f) => f.value === undefined).map((f) => f.long), ["--no-ip"]);
});
