// What a frontend writes on top of the generated types: the README's TeamOverview, sent and
// read with the Date scalar as the string the README maps it to. tsc checks it with the rest.
import { print } from "graphql";
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import { TeamOverviewDocument } from "./.out/client/graphql";
import type { TeamOverviewQuery, TeamOverviewQueryVariables } from "./.out/operations";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The client preset and typescript-operations agree on the operation's types.
export const resultsAgree: Same<ResultOf<typeof TeamOverviewDocument>, TeamOverviewQuery> = true;
export const variablesAgree: Same<VariablesOf<typeof TeamOverviewDocument>, TeamOverviewQueryVariables> = true;

export async function teamOverview(
  url: string,
  variables: VariablesOf<typeof TeamOverviewDocument>,
): Promise<ResultOf<typeof TeamOverviewDocument>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(TeamOverviewDocument), variables }),
  });
  const body = (await response.json()) as { data?: TeamOverviewQuery; errors?: { message: string }[] };
  if (body.data === undefined) throw new Error(body.errors?.[0]?.message ?? "no data");
  return body.data;
}

// Hours each member logged in the week, per team: the fields a dashboard reads.
export function hoursByMember(overview: TeamOverviewQuery): Map<string, number> {
  const hours = new Map<string, number>();
  for (const team of overview.teams) {
    for (const member of team.members ?? []) {
      const seconds = (member.worklogs ?? []).reduce((sum, w) => sum + w.durationSeconds, 0);
      hours.set(`${team.key}/${member.name}`, seconds / 3600);
    }
  }
  return hours;
}

export const lastWeek: TeamOverviewQueryVariables = { from: "2026-11-16", to: "2026-11-22" };
