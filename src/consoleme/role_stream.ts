/**
 * `GET /api/v2/get_roles` read as it arrives: each role of `data.roles` is parsed and turned into weep's role
 * on its own, so that neither the answer's whole text nor its whole parsed tree is ever kept (for 100,000 roles,
 * tens of MiB each). What the reader accepts, and what it reports, is exactly what `JSON.parse` of the whole
 * body and {@linkcode parseRolesV2} would give: the text outside the roles (the envelope, each role replaced by
 * `{}`) is parsed whole, every role on its own, so the body is valid JSON exactly when all of these are.
 *
 * @module
 */

import type { BodyReader } from "./http.ts";
import {
  type AnswerProblem,
  answerProblem,
  MAX_NESTING,
  Misfit,
  nestedTooDeep,
  TOO_DEEP,
  valuePath,
} from "./answer_check.ts";
import { parseRolesV2, roleReader, rolesArray } from "./role_list.ts";
import type { ConsoleMeRole, RoleListOptions } from "./types.ts";

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** An open object or array outside the roles, and what it is on the way to `data.roles`. */
interface Container {
  array: boolean;
  place: "root" | "data" | "roles" | "other";
  /** An object's last key (read only on the way to `data.roles`). */
  key: string | undefined;
  /** An object expects a key next. */
  expectKey: boolean;
}

/**
 * A {@linkcode BodyReader} for `get_roles` v2: its `json` is the roles (`ConsoleMeRole[]`) or where the list
 * does not fit (`AnswerProblem`), as {@linkcode parseRolesV2} says. A body that does not start as a JSON object is
 * kept as text and read as usual (an HTML page says so); broken JSON comes back as no text, which is no JSON.
 */
export function roleListReader(options: RoleListOptions = {}): BodyReader {
  const readRole = roleReader(options);
  // "deep": nested deeper than MAX_NESTING, read no further.
  let mode: "start" | "scan" | "text" | "broken" | "deep" = "start";
  const kept: string[] = [];
  const envelope: string[] = [];
  const stack: Container[] = [];
  let inString = false;
  let escaped = false;
  // The key being read (from its opening quote), and the role being read with its depth of brackets.
  let key: string[] | undefined;
  let role: string[] | undefined;
  let roleDepth = 0;
  // How many `data.roles` arrays were opened, the index of the current item in it, and the roles read so far.
  let rolesOpened = 0;
  let index = 0;
  const roles: ConsoleMeRole[] = [];
  let problem: { index: number; problem: AnswerProblem } | undefined;

  const take = (text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      mode = "broken";
      return;
    }
    if (problem !== undefined) return;
    try {
      roles.push(readRole(value));
    } catch (error) {
      const { where, message } = answerProblem(error);
      problem = { index, problem: { where: valuePath("data.roles", index, where), message } };
    }
  };

  const opened = (bracket: number) => {
    const parent = stack.at(-1);
    const array = bracket === OPEN_ARRAY;
    let place: Container["place"] = "other";
    if (parent === undefined) place = array ? "other" : "root";
    else if (!parent.array && parent.place === "root" && parent.key === "data" && !array) place = "data";
    else if (!parent.array && parent.place === "data" && parent.key === "roles" && array) place = "roles";
    if (place === "roles") {
      rolesOpened++;
      index = 0;
    }
    stack.push({ array, place, key: undefined, expectKey: !array });
  };

  const scan = (chunk: string) => {
    // `from`: where the text not yet copied (into the envelope or the role) starts; `keyFrom`: the key's.
    let from = 0;
    let keyFrom = 0;
    // The next quote and backslash at or after the scan, found once each and again only when passed.
    let quote = -2;
    let backslash = -2;
    for (let i = 0; i < chunk.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        if (quote !== -1 && quote < i) quote = chunk.indexOf('"', i);
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf("\\", i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          escaped = true;
          i = backslash;
          continue;
        }
        if (quote === -1) break;
        inString = false;
        i = quote;
        if (key !== undefined) {
          key.push(chunk.slice(keyFrom, i + 1));
          try {
            (stack.at(-1) as Container).key = JSON.parse(key.join(""));
          } catch {
            mode = "broken";
          }
          key = undefined;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) {
        inString = true;
        const top = stack.at(-1);
        if (role === undefined && top !== undefined && top.expectKey) {
          top.expectKey = false;
          // Keys matter only on the way to data.roles.
          if (top.place === "root" || top.place === "data") {
            key = [];
            keyFrom = i;
          }
        }
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (stack.length + roleDepth >= MAX_NESTING) {
          mode = "deep";
          return;
        }
        if (role !== undefined) roleDepth++;
        else if (stack.at(-1)?.place === "roles") {
          envelope.push(chunk.slice(from, i));
          from = i;
          role = [];
          roleDepth = 1;
        } else opened(c);
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (role !== undefined) {
          if (--roleDepth > 0) continue;
          role.push(chunk.slice(from, i + 1));
          take(role.join(""));
          role = undefined;
          envelope.push("{}");
          from = i + 1;
        } else if (stack.pop() === undefined) mode = "broken";
      } else if (c === COMMA && role === undefined) {
        const top = stack.at(-1);
        if (top?.array === false) top.expectKey = true;
        else if (top?.place === "roles") index++;
      }
    }
    (role ?? envelope).push(chunk.slice(from));
    if (key !== undefined) key.push(chunk.slice(keyFrom));
  };

  return {
    write(text) {
      if (mode === "broken" || mode === "deep") return;
      if (mode === "start") {
        kept.push(text);
        const first = /\S/.exec(text);
        if (first === null) return;
        mode = first[0] === "{" ? "scan" : "text";
        if (mode === "text") return;
        text = kept.join("");
        kept.length = 0;
      }
      if (mode === "text") kept.push(text);
      else if (mode === "scan") scan(text);
    },
    end() {
      if (mode === "deep") return { json: TOO_DEEP };
      if (mode === "start" || mode === "text") {
        const text = kept.join("");
        if (nestedTooDeep(text)) return { json: TOO_DEEP };
        try {
          return { json: parseRolesV2(JSON.parse(text), options) };
        } catch {
          return { text };
        }
      }
      if (mode === "broken" || inString || role !== undefined || stack.length > 0) return { text: "" };
      let outside: unknown;
      try {
        outside = JSON.parse(envelope.join(""));
      } catch {
        return { text: "" };
      }
      let items: unknown[];
      try {
        items = rolesArray(outside);
        if (rolesOpened !== 1) throw new Misfit("data.roles", "Expected the key once, got it more than once");
      } catch (error) {
        return { json: answerProblem(error) };
      }
      // Every object or array in the list was read as a role (and is `{}` here): what is left is no role.
      const stray = items.findIndex((item) => typeof item !== "object" || item === null);
      if (stray !== -1 && (problem === undefined || stray < problem.index)) {
        try {
          readRole(items[stray]);
        } catch (error) {
          const { where, message } = answerProblem(error);
          return { json: { where: valuePath("data.roles", stray, where), message } };
        }
      }
      return { json: problem?.problem ?? roles };
    },
  };
}
