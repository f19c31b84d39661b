// Output of raftvsctl: aligned text tables or JSON, chosen with -o.

export type OutputFormat = "table" | "json";

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
  return format === "json" ? JSON.stringify(json, null, 2) : renderTable(headers, rows);
}
