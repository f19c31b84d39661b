// proto/gen/ is exactly what scripts/gen-proto.sh generates from proto/*.proto today.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import test from "ava";

test("the generated TypeScript in proto/gen is up to date", async (t) => {
  const script = fileURLToPath(new URL("../../scripts/gen-proto.sh", import.meta.url));
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile("bash", [script, "--check"], (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  t.is(result.code, 0, result.out);
});
