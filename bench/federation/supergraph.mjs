// The supergraph of Teamgraph's subgraph and the reviews subgraph (reviews.graphql), composed
// with Apollo's composition library; shared by compose.mjs and plan.mjs.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

export const here = dirname(fileURLToPath(import.meta.url));
export const COMMITTED = join(here, "..", "..", "schema.federation.graphql");

// `satisfiability: false` skips checking that every supergraph query can be planned (half
// the time): for planning, once compose.mjs has checked it.
export function composeWithReviews({
  teamgraph = COMMITTED,
  teamgraphUrl,
  reviewsUrl,
  satisfiability = true,
} = {}) {
  const services = [
    {
      name: "teamgraph",
      url: teamgraphUrl ?? "http://127.0.0.1:8000/graphql",
      typeDefs: parse(readFileSync(teamgraph, "utf8")),
    },
    {
      name: "reviews",
      url: reviewsUrl ?? "http://127.0.0.1:4002/graphql",
      typeDefs: parse(readFileSync(join(here, "reviews.graphql"), "utf8")),
    },
  ];
  const result = composeServices(services, { runSatisfiability: satisfiability });
  return { services, result };
}
