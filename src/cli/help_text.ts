/**
 * What `weep --help` prints (also `weep -h`, `weep help` and `weep` alone), rendered from the command tree by
 * `deno task help-text` (`scripts/help_text.ts`), so that `src/cli/main.ts` prints it without loading the command
 * tree. Generated: do not edit. `tests/cli/help_text_test.ts` fails when it differs from what the tree renders.
 *
 * @module
 */

/** weep's top-level help. */
export const ROOT_HELP: string = `Usage: weep [options] [command]

Short-lived AWS credentials from ConsoleMe, for the AWS CLI and SDKs

Options:
  -V, --version                                          print the version
  -c, --config <file>                                    use this YAML config file instead of ~/.aws/weep/weep.yaml
  --extra-config-file <file>                             merge this YAML config file over the loaded config
  -n, --no-ip                                            ask for credentials without IP restrictions
  -A, --assume-role <arn>                                assume this role after getting credentials (repeatable)
  -r, --region <region>                                  AWS region for STS calls (default: aws.region)
  --log-level <level>                                    log level (choices: "debug", "info", "warn", "error")
  --log-format <format>                                  log format on stderr (choices: "tty", "json")
  --log-file <file>                                      also write log lines to this file (under ~/.aws, e.g. ~/.aws/weep/weep.log)
  -h, --help                                             display help for command

Commands:
  cache                                                  inspect the credential cache and login sessions, or empty the cache (~/.aws/weep/cache)
  completion <shell>                                     print a shell completion script (bash, zsh, fish or powershell)
  config [options]                                       show the effective configuration and where each value comes from
  console [options] [role]                               open the AWS console as a role, through ConsoleMe
  credential_process [options] [role]                    print credentials for a role as credential_process JSON (for ~/.aws/config)
  doctor                                                 check weep's setup and your AWS files, and say what to fix
  export [options] [role]                                print shell statements that set AWS credential variables for a role
  file [options] [role]                                  write a role's credentials into ~/.aws/credentials as a profile
  generate|generate_credential_process_config [options]  write a credential_process profile for every role you may use into ~/.aws/config
  help [command]                                         show help for a command
  info [options] [blob]                                  print a support bundle (no secrets) to attach to a ticket
  list [options] [search]                                list the roles you may use
  open [options] <arn>                                   open ConsoleMe's page for an AWS resource ARN
  search                                                 search the accounts and role ARNs ConsoleMe knows
  serve|ecs_credential_provider [options] [role]         serve credentials over HTTP: an ECS credential endpoint, and IMDS for ROLE when given
  setup [options]                                        print the commands that route instance metadata (169.254.169.254) to weep serve
  version                                                print the version and build metadata
  whoami [options]                                       show who the AWS credentials of this environment belong to (STS GetCallerIdentity)
`;
