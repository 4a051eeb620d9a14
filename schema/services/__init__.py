"""Each API's own surface: its reads (and, later, writes) as typed per-service types, under
one namespace field of the root `Query` (`tempo`, `oncall`, `teamoclock`, `teampulse`,
`hack24`), linked into the unified graph.

One package per API, owned by that API: `schema/services/<api>/`. Conventions:

* **Types come from the client's models.** A payload model in `resolvers/backends/<api>*.py`
  becomes a GraphQL type with `strawberry.experimental.pydantic.type(model=..., all_fields=True)`
  (or `fields=[...]`): one definition per field, descriptions from the model's attribute
  docstrings (`use_attribute_docstrings=True`), and resolvers may return the client's model
  instances as they are (no copying). Links into the unified graph (`User`, `Team`, `Event`,
  `Worklog`, `Meeting`) are extra resolver fields on those types.
* **Resolvers are thin**: each calls one function in `resolvers/services/<api>.py` (loaders and
  reads of that API, built with `ctx.loader((service, what), make)`), and uses nothing from
  `info` but `info.context`. Leaf data are attributes; `async` only where I/O may happen.
* **Cost is declared where the field is**: `metadata=upstream("request" | "parent", n)` (see
  `schema/cost.py`).
* **Paged lists are connections**: `-> Connection[TempoWorklog]` with `first`/`after`, mapped
  onto the API's paging by `resolvers/paging.py`.
* **A field served by another service than its parent is nullable and fails alone.**

Each package exports its namespace type (`TempoQuery`, ...) and the link functions the
unified types call (`team_of`, `user_of`, ...): see `schema/types.py`.
"""
