// Composes Teamgraph's subgraph SDL with a second subgraph (reviews.graphql) using Apollo's
// own composition library, as `rover supergraph compose` or GraphOS would, and fails on any
// composition error and on any hint not listed in ACCEPTED below.
//
//   npm ci --prefix bench/federation
//   python -m gateway schema --federation > /tmp/teamgraph.graphql   (or the committed
//   schema.federation.graphql)
//   node bench/federation/compose.mjs [--teamgraph FILE] [--teamgraph-url URL]
//                                     [--reviews-url URL] [--out supergraph.graphql]
//
// Prints one line per hint and a summary; with --out, writes the supergraph SDL that Apollo
// Router (`--supergraph`) or Hive Gateway (`--supergraph`) serves.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { COMMITTED, composeWithReviews } from "./supergraph.mjs";

// Hints that say nothing is wrong with Teamgraph as a subgraph; anything else fails the run.
// Two subgraphs describing `User` in their own words would give INCONSISTENT_DESCRIPTION
// (the supergraph keeps one; routers plan the same): harmless, but reviews.graphql leaves
// the descriptions to Teamgraph, so this run expects no hint at all.
const ACCEPTED = new Set(["INCONSISTENT_DESCRIPTION"]);

const { values } = parseArgs({
  options: {
    teamgraph: { type: "string", default: COMMITTED },
    "teamgraph-url": { type: "string" },
    "reviews-url": { type: "string" },
    out: { type: "string" },
  },
});

const { services, result } = composeWithReviews({
  teamgraph: values.teamgraph,
  teamgraphUrl: values["teamgraph-url"],
  reviewsUrl: values["reviews-url"],
});
if (result.errors) {
  // The first few in full (a satisfiability error prints a whole query); the rest counted.
  for (const error of result.errors.slice(0, 3)) {
    const code = error.extensions?.code ?? "COMPOSITION_ERROR";
    console.error(`error ${code}: ${error.message}`);
  }
  console.error(`composition failed: ${result.errors.length} error(s)`);
  process.exit(1);
}

let refused = 0;
for (const hint of result.hints) {
  const code = hint.definition.code;
  const accepted = ACCEPTED.has(code);
  refused += accepted ? 0 : 1;
  console.log(`hint ${code}${accepted ? " (accepted)" : ""}: ${hint.message}`);
}
if (values.out) {
  writeFileSync(values.out, result.supergraphSdl);
}
// Each entity must show both subgraphs' fields: Teamgraph's and the reviews.
const joined = [
  ["Team", "members"],
  ["User", "teams"],
].filter(([name, ours]) => {
  const type = result.schema.type(name);
  return type?.field(ours) && type.field("reviews");
});
if (joined.length !== 2) {
  console.error("the supergraph does not join Team and User across both subgraphs");
  process.exit(1);
}
if (refused) {
  console.error(`composition succeeded with ${refused} hint(s) that need a look`);
  process.exit(1);
}
console.log(
  `composed: ${services.map((s) => s.name).join(" + ")}; Team and User joined by @key(fields: "id")` +
    (values.out ? `; supergraph written to ${values.out}` : ""),
);
