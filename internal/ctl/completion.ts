// `raftvsctl completion bash|zsh`: a shell completion script for the commands and flags.

import { CtlError } from "./client.ts";

const COMMANDS = "status member leader snapshot kv service get apply import cert completion help";
const SUBCOMMANDS: Record<string, string> = {
  member: "list add promote remove",
  leader: "transfer",
  snapshot: "save",
  kv: "put get del",
  service: "list show",
  cert: "ca node",
  completion: "bash zsh",
};
const FLAGS =
  "--endpoints --output --timeout-ms --token --cacert --cert --key --help --peer --client --no-promote --dry-run --exit-code -f --format --vip";
const IPVSADM_FLAGS =
  "-A -E -D -a -e -d -C -L -l -S -R -t -u -f -s -p -M -r -g -i -m -P -w -x -y -n -c --stats --rate --exact --sort";

export function completionScript(shell: string | undefined): string {
  const cases = Object.entries(SUBCOMMANDS)
    .map(([cmd, subs]) => `    ${cmd}) COMPREPLY=( $(compgen -W "${subs}" -- "$cur") ); return ;;`)
    .join("\n");
  const bash = `# bash completion for raftvsctl: eval "$(raftvsctl completion bash)"
_raftvsctl() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local cmd=\${COMP_WORDS[1]}
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "${FLAGS} ${IPVSADM_FLAGS}" -- "$cur") ); return
  fi
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${COMMANDS}" -- "$cur") ); return
  fi
  case "$cmd" in
${cases}
  esac
  COMPREPLY=( $(compgen -f -- "$cur") )
}
complete -F _raftvsctl raftvsctl`;
  switch (shell) {
    case "bash":
      return bash;
    case "zsh":
      return `# zsh completion for raftvsctl: eval "$(raftvsctl completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${bash}`;
    default:
      throw new CtlError(`completion needs a shell: bash or zsh (got ${JSON.stringify(shell)})`, 2);
  }
}
