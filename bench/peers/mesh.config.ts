// GraphQL Mesh compose config for Q1 over the snapshot (bench/peers). The runner copies this
// file and openapi.json next to the installed packages and sets UPSTREAM to the static server.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Upstream', {
        source: './openapi.json',
        endpoint: process.env.UPSTREAM,
      }),
    },
  ],
  // The two joins Q1 needs: a Tempo team's members, and the oncall team it links to.
  additionalTypeDefs: /* GraphQL */ `
    extend type TempoTeam {
      memberships: TempoMemberList
        @resolveTo(
          sourceName: "Upstream"
          sourceTypeName: "Query"
          sourceFieldName: "tempoTeamMembers"
          requiredSelectionSet: "{ id }"
          sourceArgs: { id: "{root.id}" }
        )
      oncall: OncallTeam
        @resolveTo(
          sourceName: "Upstream"
          sourceTypeName: "Query"
          sourceFieldName: "oncallTeamByName"
          requiredSelectionSet: "{ oncallTeam }"
          sourceArgs: { name: "{root.oncallTeam}" }
        )
    }
  `,
});
