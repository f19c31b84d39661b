// CI seeds 1001..1500 of the deterministic Raft simulator (the four sim-seeds files together
// run 2,000 seeds, in parallel): every run must end without a violation.

import test from "ava";
import { simSeedsTest } from "./support/sim-seeds.ts";

simSeedsTest(test, 1001, 500);
