/**
 * Shell completion scripts for bash, zsh and fish, written from a completion tree (the commands, their
 * options and fixed argument values), so every command and option that exists is completed and nothing else.
 * Pure. PowerShell's is in `powershell.ts`.
 *
 * @module
 */

import { quotePosix } from "../text/shlex.ts";

/** An option as completion sees it. */
export interface OptionNode {
  long?: string | undefined;
  short?: string | undefined;
  description: string;
  /** Whether the option takes a value. */
  takesValue: boolean;
  /** Allowed values, when fixed. */
  choices?: readonly string[] | undefined;
  /** Whether the value is a file path. */
  file: boolean;
}

/** A command as completion sees it. */
export interface CommandNode {
  name: string;
  description: string;
  options: OptionNode[];
  commands: CommandNode[];
  /** Fixed values of the first argument (e.g. shells), when there are any. */
  argChoices: readonly string[];
}

/** Visits `node` and every command below it, with an id made of the command path (`weep_search_role`). */
export function walk(node: CommandNode, id: string, visit: (node: CommandNode, id: string) => void): void {
  visit(node, id);
  for (const sub of node.commands) walk(sub, `${id}_${sub.name}`, visit);
}

/** The words offered at `node`: its commands, argument values and options. */
export function words(node: CommandNode): string[] {
  return [
    ...node.commands.map((c) => c.name),
    ...node.argChoices,
    ...node.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)),
  ];
}

/** The bash completion script (passes shellcheck). */
export function bashScript(root: CommandNode): string {
  const transitions: string[] = [];
  const nodes: string[] = [];
  const values: string[] = [];
  const files = new Set<string>();
  walk(root, root.name, (node, id) => {
    for (const sub of node.commands) transitions.push(`      ${id}:${sub.name}) node=${id}_${sub.name} ;;`);
    nodes.push(`    ${id}) words=${quotePosix(words(node).join(" "))} ;;`);
    for (const o of node.options) {
      const flags = [o.long, o.short].filter(Boolean).join("|");
      if (o.choices?.length) {
        values.push(`    ${flags}) words=${quotePosix(o.choices.join(" "))}; return_words=1 ;;`);
      } else if (o.takesValue && o.file) files.add(flags);
    }
  });
  return `# bash completion for weep; load with: source <(weep completion bash)
_weep_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local node=${root.name} i word words="" return_words=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$node:$word" in
${transitions.join("\n")}
    esac
  done
  case "$prev" in
${[...new Set(values)].join("\n")}
${
    files.size
      ? `    ${[...files].join("|")}) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;`
      : ""
  }
  esac
  if [ "$return_words" = 0 ]; then
    case "$node" in
${nodes.join("\n")}
    esac
  fi
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
}
complete -F _weep_complete weep
`;
}

/** The zsh completion script (works from `fpath` as `_weep` or sourced). */
export function zshScript(root: CommandNode): string {
  const transitions: string[] = [];
  const nodes: string[] = [];
  const entry = (name: string, description: string) =>
    quotePosix(`${name.replaceAll(":", "\\:")}:${description}`);
  walk(root, root.name, (node, id) => {
    for (const sub of node.commands) transitions.push(`      ${id}:${sub.name}) node=${id}_${sub.name} ;;`);
    const cmds = [
      ...node.commands.map((c) => entry(c.name, c.description)),
      ...node.argChoices.map((c) => entry(c, c)),
    ];
    const opts = node.options.flatMap((o) =>
      [o.long, o.short].filter((x): x is string => !!x).map((flag) => entry(flag, o.description))
    );
    nodes.push(`    ${id}) cmds=(${cmds.join(" ")}); opts=(${opts.join(" ")}) ;;`);
  });
  return `#compdef weep
# zsh completion for weep; put in a directory on $fpath as _weep, or: source <(weep completion zsh)
_weep() {
  local node=${root.name} i word
  local -a cmds opts
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    case "$node:$word" in
${transitions.join("\n")}
    esac
  done
  case $node in
${nodes.join("\n")}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options 'option' opts
  else
    _describe -t commands 'command' cmds
  fi
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _weep "$@"
else
  compdef _weep weep
fi
`;
}

/** The fish completion script. */
export function fishScript(root: CommandNode): string {
  const lines = [
    "# fish completion for weep; load with: weep completion fish | source",
    "complete -c weep -f",
  ];
  const visit = (node: CommandNode, path: string[]) => {
    const condition = path.length === 0
      ? "__fish_use_subcommand"
      : `__fish_seen_subcommand_from ${path[path.length - 1]}`;
    for (const sub of node.commands) {
      lines.push(
        `complete -c weep -n ${quotePosix(condition)} -a ${sub.name} -d ${quotePosix(sub.description)}`,
      );
    }
    for (const value of node.argChoices) {
      lines.push(`complete -c weep -n ${quotePosix(condition)} -a ${value}`);
    }
    for (const o of node.options) {
      const parts = [`complete -c weep -n ${quotePosix(condition)}`];
      if (o.long) parts.push(`-l ${o.long.replace(/^--/, "")}`);
      if (o.short) parts.push(`-s ${o.short.replace(/^-/, "")}`);
      if (o.takesValue) {
        parts.push(o.choices?.length ? `-x -a ${quotePosix(o.choices.join(" "))}` : o.file ? "-r -F" : "-x");
      }
      parts.push(`-d ${quotePosix(o.description)}`);
      lines.push(parts.join(" "));
    }
    for (const sub of node.commands) visit(sub, [...path, sub.name]);
  };
  visit(root, []);
  return lines.join("\n") + "\n";
}
