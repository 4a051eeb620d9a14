// Plans supergraph operations with Apollo's query planner (what Apollo Router and Apollo
// Gateway run) and prints, as JSON, each fetch a plan sends to a subgraph: the operation text
// a router would send Teamgraph, so a test can run exactly that against Teamgraph.
//
//   node bench/federation/plan.mjs [--teamgraph FILE] '{ latestReviews { author { name } } }' ...
//   -> {"<operation>": [{"service", "path", "operation", "variables", "entities"}, ...], ...}
import { parseArgs } from "node:util";

import { operationFromDocument, Supergraph } from "@apollo/federation-internals";
import { QueryPlanner } from "@apollo/query-planner";
import { parse } from "graphql";

import { COMMITTED, composeWithReviews } from "./supergraph.mjs";

const { values, positionals } = parseArgs({
  options: { teamgraph: { type: "string", default: COMMITTED } },
  allowPositionals: true,
});
if (positionals.length === 0) {
  console.error("usage: node plan.mjs [--teamgraph FILE] '<a supergraph operation>' ...");
  process.exit(2);
}

const { result } = composeWithReviews({ teamgraph: values.teamgraph, satisfiability: false });
if (result.errors) {
  console.error(`composition failed: ${result.errors[0].message}`);
  process.exit(1);
}
const supergraph = Supergraph.build(result.supergraphSdl);
const planner = new QueryPlanner(supergraph);

const plans = {};
for (const query of positionals) {
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query));
  plans[query] = fetchesOf(planner.buildQueryPlan(operation));
}
console.log(JSON.stringify(plans, null, 2));

function fetchesOf(plan) {
  const fetches = [];
  visit(plan.node, [], fetches);
  return fetches;
}

function visit(node, path, fetches) {
  if (!node) return;
  switch (node.kind) {
    case "Fetch":
      fetches.push({
        service: node.serviceName,
        path,
        operation: node.operation,
        variables: node.variableUsages ?? [],
        entities: Boolean(node.requires),
      });
      break;
    case "Flatten":
      visit(node.node, node.path, fetches);
      break;
    case "Sequence":
    case "Parallel":
      for (const child of node.nodes) visit(child, path, fetches);
      break;
    default:
      throw new Error(`plan node ${node.kind} is not expected here`);
  }
}
