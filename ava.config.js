// ava settings: TypeScript test files run through tsx; unit tests sit beside their code.
export default {
  files: ["internal/**/*.test.ts", "test/**/*.test.ts", "cmd/**/*.test.ts", "bench/**/*.test.ts"],
  extensions: { ts: "module" },
  nodeArguments: ["--import=tsx"],
  timeout: "5m",
  workerThreads: false,
};
