"""Random valid operations over the whole schema, and what every answer must keep.

Shared by ``tests/test_fuzz_schema.py`` (a bounded, reproducible run in CI) and
``bench/fuzz.py`` (a long run that prints each distinct failure, minimized).

Operations come from hypothesis-graphql: any selection of fields, inline fragments on
``Node``, every argument; a third of them are about one root field, and a third are aimed at
one field anywhere in the schema (hypothesis-graphql alone leaves some fields out of
thousands of operations). Its default scalars are random text, which never names anything
that exists, so the scalars here are made realistic enough to reach the data: ``ID``s of real
objects next to forged and malformed ones, ``String``s that are real keys, emails, usernames
and roles (or near misses, or junk), and ``Date``s mostly around the cast's "now", plus the
edges of the accepted range and, in hostile operations, dates past them and malformed text.
Then some argument values are moved into variables (hypothesis-graphql only writes
literals), so variable coercion is exercised as well as literal parsing, including (hostile
again) variables that are missing or of the wrong JSON type.

What every answer must keep, whatever was asked (:func:`violations`):

* no 5xx from the gateway, and none from an emulator: no faults are injected, so an
  upstream 5xx means we sent something it chokes on;
* a JSON object; a 200 has ``data`` or ``errors``;
* every error has ``extensions.code``, and none is a masked bug: "Unexpected error." /
  INTERNAL_SERVER_ERROR (a resolver raised outside our error family) or INTERNAL_ERROR (a
  client or join raised something unexpected while reading a service);
* nothing is logged at ERROR (expected failures log WARNING).

Reversed, too long or out-of-range date ranges are expected to fail, as clean
BAD_USER_INPUT errors; that is not a violation.

The parts: :mod:`~tests.fuzzing.scalars` (the seeds and the argument values made from them),
:mod:`~tests.fuzzing.aimed` (the schema, its reachable fields and operations aimed at one),
:mod:`~tests.fuzzing.operations` (the operations, with variables), :mod:`~tests.fuzzing.checks`
(what every answer must keep) and :mod:`~tests.fuzzing.fuzz_gateway` (the gateway they run on).
"""
