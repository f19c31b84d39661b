// Output of raftvsctl: aligned text tables, JSON or YAML, chosen with -o.

import { stringify as stringifyYaml } from "yaml";

export type OutputFormat = "table" | "json" | "yaml";

export function renderTable(headers: string[], rows: Array<Array<string | number | boolean>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (c ?? "").padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function render(
  format: OutputFormat,
  json: unknown,
  headers: string[],
  rows: Array<Array<string | number | boolean>>,
): string {
  if (format === "json") return JSON.stringify(json, null, 2);
  if (format === "yaml") return stringifyYaml(json).trimEnd();
  return renderTable(headers, rows);
}
