/**
 * The role picker of `console`, `export` and `file`, in a real terminal (tmux): type to filter by account name,
 * account number or role, arrows to move, Enter to choose, Esc to cancel. Never in `credential_process`, never
 * with WEEP_DISABLE_INTERACTIVE_PROMPTS=1.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { weepInTerminal } from "../support/terminal.ts";
import {
  initialState,
  parseKeys,
  type PickerItem,
  type PickerState,
  pickerStep,
  renderPicker,
} from "../../src/platform/picker.ts";
import { roleItems } from "../../src/app/role_picker.ts";

const APP = "arn:aws:iam::012345678901:role/app_role";
const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const ADMIN = "arn:aws:iam::012345678902:role/admin";
const READER = "arn:aws:iam::111122223333:role/reader";
const ROLES = [APP, DEPLOYER, ADMIN, READER];
const PROMPT = "Role (type part of an account name or number, or a role name):";

Deno.test("the picker filters on every typed term, moves, chooses and cancels", () => {
  const items: PickerItem[] = roleItems(ROLES.map((arn) => ({
    arn,
    accountId: arn.split(":")[4]!,
    accountName: arn.includes("111122223333") ? "Unknown" : "prod\x1b[2J",
    roleName: arn.split(":role/")[1]!,
    apps: [],
  })));
  const type = (state: PickerState, input: string) => {
    for (const key of parseKeys(input)) {
      const next = pickerStep(items, state, key);
      if ("done" in next) return next;
      state = next;
    }
    return state;
  };
  const start = initialState(items);
  const values = (state: PickerState | { done: string | undefined }) =>
    "done" in state ? state.done : state.matches.map((i) => items[i]!.value);
  assertEquals(values(type(start, "PROD team")), [DEPLOYER]);
  assertEquals(values(type(start, "78902")), [DEPLOYER, ADMIN]);
  assertEquals(values(type(start, "1111 reader")), [READER]);
  assertEquals(values(type(start, "78902\x1b[B\r")), ADMIN);
  assertEquals(
    values(type(start, "78902\x0e\x0e\x0e\x10\r")),
    DEPLOYER,
    "down stops at the end; Ctrl-P goes up",
  );
  assertEquals(
    values(type(start, "xyz\x7f\x7f\x7f\x15admin\r")),
    ADMIN,
    "backspace and Ctrl-U edit the query",
  );
  assertEquals(values(type(start, "nothing\r")), [], "Enter with no match does nothing");
  assertEquals(values(type(start, "\x1b")), undefined);
  assertEquals(values(type(start, "ad\x03")), undefined);
  const screen = renderPicker(items, start, { prompt: "Role: ", width: 40 });
  assert(!screen.includes("\x1b[2J"), "text from ConsoleMe never reaches the terminal as escapes");
  assertStringIncludes(screen, "\x1b[7m> prod?[2J");
  // deno-lint-ignore no-control-regex
  for (const line of screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").split(/[\r\n]/)) {
    assert([...line].length < 40, line);
  }
});

Deno.test("export without a role on a terminal: type to filter, arrows, Enter; the export lines go to stdout", async () => {
  await using cm = await startConsoleMe({ roles: ROLES });
  await using home = await loggedInHome(cm);
  await using term = await weepInTerminal(home.home, ["export", "--shell", "bash"]);
  if (!term) return;
  const first = await term.waitFor(PROMPT);
  for (const arn of ROLES) assertStringIncludes(first, arn.split(":role/")[1]!);
  assertStringIncludes(first, "(4 of 4;");
  await term.type("oss_2");
  const filtered = await term.waitFor("(2 of 4;");
  assertMatch(filtered, /> consoleme_oss_2\s+012345678902\s+admin/);
  assert(!filtered.includes("app_role") && !filtered.includes("reader"), filtered);
  await term.press("Down");
  await term.waitFor(/> consoleme_oss_2\s+012345678902\s+team\/deployer/);
  await term.press("Enter");
  const { code, stdout } = await term.exited();
  assertEquals(code, 0, await term.screen());
  assertStringIncludes(stdout, `export AWS_ACCESS_KEY_ID='${cm.minted[0]!.accessKeyId}'\n`);
  assertEquals(cm.minted.map((m) => m.roleArn), [DEPLOYER]);
  const last = await term.screen();
  assertStringIncludes(last, `${PROMPT} ${DEPLOYER}`);
  assert(!last.includes("admin"), "the list is cleared once a role is chosen");
});

Deno.test("file and console pick a role too; Esc cancels with exit 130 and nothing on stdout", async () => {
  await using cm = await startConsoleMe({ roles: ROLES });
  await using home = await loggedInHome(cm);
  {
    await using term = await weepInTerminal(home.home, ["file", "-p", "picked"]);
    if (!term) return;
    await term.waitFor(PROMPT);
    await term.type("111122223333");
    await term.waitFor("(1 of 4;");
    await term.press("Enter");
    assertEquals((await term.exited()).code, 0, await term.screen());
    assertStringIncludes(await Deno.readTextFile(`${home.aws}/credentials`), `role=${READER}\n`);
  }
  {
    await using term = await weepInTerminal(home.home, ["console", "--no-open"]);
    await term!.waitFor(PROMPT);
    await term!.type("app");
    await term!.press("Enter");
    assertEquals(await term!.exited(), { code: 0, stdout: `${cm.url}/role/${APP}\n` });
  }
  {
    await using term = await weepInTerminal(home.home, ["export"]);
    await term!.waitFor(PROMPT);
    await term!.press("Escape");
    assertEquals(await term!.exited(), { code: 130, stdout: "" });
    assertStringIncludes(await term!.screen(), "error: No role chosen");
  }
});

Deno.test("no picker in credential_process, nor with WEEP_DISABLE_INTERACTIVE_PROMPTS=1", async () => {
  await using cm = await startConsoleMe({ roles: ROLES });
  await using home = await loggedInHome(cm);
  const runs: [string[], Record<string, string>, string][] = [
    [["credential_process"], {}, "error: credential_process needs a role"],
    [["export"], { WEEP_DISABLE_INTERACTIVE_PROMPTS: "1" }, "error: export needs a role"],
    [["file"], { WEEP_DISABLE_INTERACTIVE_PROMPTS: "1" }, "error: file needs a role"],
  ];
  for (const [args, env, message] of runs) {
    await using term = await weepInTerminal(home.home, args, env);
    if (!term) return;
    const { code, stdout } = await term.exited();
    const screen = await term.screen();
    assertEquals([code, stdout], [2, ""], screen);
    assertStringIncludes(screen, message);
    assert(!screen.includes("Role (type"), screen);
  }
  {
    // console without a role and without a picker opens ConsoleMe's home page, as before.
    await using term = await weepInTerminal(home.home, ["console", "-x"], {
      WEEP_DISABLE_INTERACTIVE_PROMPTS: "1",
    });
    assertEquals(await term!.exited(), { code: 0, stdout: `${cm.url}/\n` });
  }
  assertEquals(cm.count("/api/v2/get_roles"), 0);
});
