/**
 * The PowerShell completion script (`weep completion powershell`): a native argument completer that walks the
 * words typed so far through the command tree and offers that command's subcommands, argument values and
 * options, or an option's fixed values. Pure.
 *
 * @module
 */

import { type CommandNode, walk, words } from "./scripts.ts";

/** Quotes `text` as a PowerShell single-quoted string. */
function quote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, "''")}'`;
}

/** `text, description` pairs, flattened: strings never unroll the way nested arrays do in PowerShell. */
function pairs(entries: [string, string][]): string {
  return entries.map(([text, description]) => `${quote(text)}, ${quote(description || text)}`).join(", ");
}

/** The PowerShell completion script (Windows PowerShell 5.1 and PowerShell 7). */
export function powershellScript(root: CommandNode): string {
  const transitions: string[] = [];
  const nodes: string[] = [];
  const values = new Map<string, string>();
  walk(root, root.name, (node, id) => {
    for (const sub of node.commands) {
      transitions.push(`      ${quote(`${id}:${sub.name}`)} { $node = ${quote(`${id}_${sub.name}`)} }`);
    }
    const described = new Map<string, string>([
      ...node.commands.map((c): [string, string] => [c.name, c.description]),
      ...node.argChoices.map((c): [string, string] => [c, c]),
    ]);
    for (const o of node.options) {
      for (const flag of [o.long, o.short]) if (flag) described.set(flag, o.description);
      if (!o.takesValue) continue;
      const offered = o.choices?.length ? pairs(o.choices.map((c) => [c, c])) : "";
      for (const flag of [o.long, o.short]) if (flag) values.set(`${id}|${flag}`, offered);
    }
    const entries = words(node).map((word): [string, string] => [word, described.get(word) ?? word]);
    nodes.push(`      ${quote(id)} { ${pairs(entries)} }`);
  });
  return `# PowerShell completion for weep; load with: weep completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName weep, weep.exe, weep.cmd -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $typed = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $typed.Count -gt 0) { $typed = @($typed | Select-Object -First ($typed.Count - 1)) }
  $node = ${quote(root.name)}
  $prev = ''
  foreach ($word in $typed) {
    switch -CaseSensitive ("$($node):$word") {
${transitions.join("\n")}
    }
    $prev = $word
  }
  $offered = $null
  switch -CaseSensitive ("$($node)|$prev") {
${[...values].map(([key, offered]) => `    ${quote(key)} { $offered = @(${offered}) }`).join("\n")}
  }
  if ($null -eq $offered) {
    $offered = @(switch -CaseSensitive ($node) {
${nodes.join("\n")}
    })
  }
  for ($i = 0; $i + 1 -lt $offered.Count; $i += 2) {
    $text = $offered[$i]
    if ($text.StartsWith($wordToComplete, [System.StringComparison]::OrdinalIgnoreCase)) {
      $kind = if ($text.StartsWith('-')) { 'ParameterName' } else { 'ParameterValue' }
      [System.Management.Automation.CompletionResult]::new($text, $text, $kind, $offered[$i + 1])
    }
  }
}
`;
}
