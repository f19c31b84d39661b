// Decides whether a raftvsctl command line is an ipvsadm-style one: its first argument is one of
// ipvsadm's command options (short, possibly bundled like "-Ln", or long like "--add-service").

/** ipvsadm's command letters: the first option of every ipvsadm invocation is one of these. */
const SHORT_COMMANDS = new Set(["A", "E", "D", "a", "e", "d", "C", "L", "l", "S", "R", "Z"]);

/**
 * ipvsadm's long command options. --zero, --set, --start-daemon and --stop-daemon are included so
 * that they reach the ipvsadm mode and get its clear "not supported" error.
 */
const LONG_COMMANDS = new Set([
  "--add-service",
  "--edit-service",
  "--delete-service",
  "--add-server",
  "--edit-server",
  "--delete-server",
  "--clear",
  "--list",
  "--save",
  "--restore",
  "--zero",
  "--set",
  "--start-daemon",
  "--stop-daemon",
]);

/** True when argv (without the program name) should run in ipvsadm-compatible mode. */
export function isIpvsadmInvocation(argv: readonly string[]): boolean {
  const first = argv[0];
  if (first === undefined || !first.startsWith("-") || first.length < 2) return false;
  if (first.startsWith("--")) return LONG_COMMANDS.has(first.split("=", 1)[0]!);
  return SHORT_COMMANDS.has(first[1]!);
}
