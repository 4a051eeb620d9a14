"""The unified mutations: one change as the user means it, fanned out to every service that
must change (a person joining a team, time logged, a meeting started, a shift handed over).

Each module is one concept and holds whole mutations: functions taking the `Context` and
plain arguments, running under the write conventions of `resolvers.writes` (idempotency
keys, the gateway's and the APIs' refusals as user errors, one log line), and returning
records the schema maps. Who a person or team is comes from the linked directory, as for
reads, and is never guessed (`names`); a change of several writes is applied and, when it
must be, undone by `changes`.

* `members`: add or remove a team member in Tempo, oncall, Team O'clock and Hack24
  (`member_steps` holds each service's part);
* `worklogs`: log, update and delete time in Tempo or TeamPulse;
* `meetings`: start and end Team O'clock meetings, create and resolve action items;
* `shifts`: override, swap and link oncall shifts.
"""
