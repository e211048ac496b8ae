/**
 * Profile name templates (`weep generate --name`, config key `generate.name`): text with fields in braces,
 * `{account}-{role}` for example, filled in per role. Pure.
 *
 * @module
 */

import type { AccountRole } from "./arn.ts";
import { checkProfileName } from "./ini/profile_name.ts";

/** The fields a template may use, and what each one is. */
export const TEMPLATE_FIELDS = {
  account: "the account name; its ID when ConsoleMe does not know the account",
  account_id: "the 12-digit account ID",
  role: "the role name as ConsoleMe lists it, IAM path included (team/deployer)",
  role_name: "the role name without its IAM path (deployer)",
  role_path: "the role's IAM path without its outer slashes (team; empty without one)",
  arn: "the role ARN, as it is",
} as const;

/** A field of {@linkcode TEMPLATE_FIELDS}. */
export type TemplateField = keyof typeof TEMPLATE_FIELDS;

/** What `--pretty` names: account and role, as weep always did. */
export const PRETTY_TEMPLATE = "{account}-{role}";

/** A parsed template: literal text and fields, in order. */
export interface ProfileTemplate {
  text: string;
  parts: readonly (string | { field: TemplateField })[];
}

/** The fields that tell two roles of one account apart; a template needs one of them. */
const ROLE_FIELDS: readonly TemplateField[] = ["role", "role_name", "arn"];

/**
 * Parses `text`. Returns the reason it is unusable instead when it holds a control character, a brace does not
 * open or close a known field, no field names the role, or the literal text alone makes names botocore cannot
 * read (spaces, quotes).
 */
export function parseTemplate(text: string): ProfileTemplate | { problem: string } {
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: "it holds a control character" };
  const parts: (string | { field: TemplateField })[] = [];
  const pattern = /\{([^{}]*)\}|[{}]|[^{}]+/g;
  for (const [token, inner] of text.matchAll(pattern)) {
    if (inner === undefined && (token === "{" || token === "}")) {
      return { problem: `"${token}" does not open or close a field; fields look like {role}` };
    }
    if (inner === undefined) parts.push(token);
    else if (Object.hasOwn(TEMPLATE_FIELDS, inner)) parts.push({ field: inner as TemplateField });
    // JSON quoting: text from outside never reaches the terminal with its control characters.
    else return { problem: `${JSON.stringify(`{${inner}}`)} is not a field; use ${fieldList()}` };
  }
  if (!parts.some((part) => typeof part !== "string" && ROLE_FIELDS.includes(part.field))) {
    return { problem: "it names no role, so every role of an account would get the same name; add {role}" };
  }
  const template = { text, parts };
  // Sample values free of special characters: what is left to fail is the template's own text.
  const sample = renderTemplate(template, {
    arn: "arn:aws:iam::123456789012:role/sample",
    accountId: "123456789012",
    accountName: "sample",
    roleName: "sample",
  });
  const check = checkProfileName(sample, "config");
  if (!check.readable) {
    const names = `it makes names like ${JSON.stringify(sample)}`;
    return { problem: `${names}, which the AWS CLI and boto3 cannot read: ${check.reason}` };
  }
  return template;
}

/** Every field, as the text of a message: `{account}, {account_id}, …`. */
export function fieldList(): string {
  return Object.keys(TEMPLATE_FIELDS).map((field) => `{${field}}`).join(", ");
}

/**
 * The profile name for `role`. Field values have `_` and spaces turned into `-` and are lowercased, as
 * `--pretty` always did; `{arn}` and `{account_id}` are kept as they are, and so is the template's own text.
 */
export function renderTemplate(template: ProfileTemplate, role: AccountRole): string {
  let name = "";
  for (const part of template.parts) name += typeof part === "string" ? part : fieldValue(part.field, role);
  return name;
}

function fieldValue(field: TemplateField, role: AccountRole): string {
  const clean = (text: string) => text.replace(/[_ ]/g, "-").toLowerCase();
  const known = role.accountName.trim() !== "" && role.accountName.toLowerCase() !== "unknown";
  const slash = role.roleName.lastIndexOf("/");
  switch (field) {
    case "account":
      return clean(known ? role.accountName : role.accountId);
    case "account_id":
      return role.accountId;
    case "role":
      return clean(role.roleName);
    case "role_name":
      return clean(role.roleName.slice(slash + 1));
    case "role_path":
      return clean(role.roleName.slice(0, Math.max(slash, 0)).replace(/^\/+/, ""));
    case "arn":
      return role.arn;
  }
}
