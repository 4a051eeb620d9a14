"""Per-API reads: each module holds one API's loaders (built per request with
`Context.loader`) and the read functions its `schema/services/<api>` package calls."""
