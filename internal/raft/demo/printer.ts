// How the demo reads on a terminal: numbered sections, one event per line stamped with the
// simulated time, and indented notes. Writes through a sink so tests can capture the lines.

export type DemoLineSink = (line: string) => void;

/** Event kinds, padded to one column so the lines scan easily. */
export type EventKind =
  | "boot"
  | "election"
  | "leader"
  | "follow"
  | "step-down"
  | "propose"
  | "commit"
  | "catch-up"
  | "fault"
  | "heal"
  | "transfer"
  | "member"
  | "snapshot"
  | "check";

const KIND_WIDTH = 9;
/** "[t=  1.2s] " plus the kind column and its space: notes line up with event text. */
const NOTE_INDENT = 11 + KIND_WIDTH + 1;

export class DemoPrinter {
  readonly #write: DemoLineSink;
  readonly #now: () => number;
  readonly #tickMs: number;
  #section = 0;

  /** `now` returns the simulated tick; one tick lasts `tickMs` of simulated time. */
  constructor(write: DemoLineSink, now: () => number, tickMs: number) {
    this.#write = write;
    this.#now = now;
    this.#tickMs = tickMs;
  }

  line(text = ""): void {
    this.#write(text);
  }

  section(title: string): void {
    this.#section++;
    this.#write("");
    this.#write(`== ${this.#section}. ${title}`);
  }

  event(kind: EventKind, text: string): void {
    const t = ((this.#now() * this.#tickMs) / 1000).toFixed(1).padStart(5);
    this.#write(`[t=${t}s] ${kind.padEnd(KIND_WIDTH)} ${text}`);
  }

  /** An explanation under the last event. */
  note(text: string): void {
    this.#write(`${" ".repeat(NOTE_INDENT)}${text}`);
  }
}

/** "1,2,3" for a list of node ids. */
export function nodeList(ids: Iterable<number>): string {
  return [...ids].sort((a, b) => a - b).join(",");
}
