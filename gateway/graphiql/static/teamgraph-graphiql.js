// Teamgraph's GraphiQL: opens the examples the page carries (gateway/graphiql/examples.py)
// and adds two toolbar buttons, the trace toggle and "restore the examples". Written for the
// browser as is (React, ReactDOM and GraphiQL are the globals their UMD builds define), so
// the package ships no build step.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("teamgraph-graphiql").textContent);
  const h = React.createElement;
  const { ToolbarButton } = GraphiQL.React;

  // GraphiQL keeps tabs, history and settings in localStorage under this prefix, apart from
  // any other GraphiQL served from the same origin.
  const NAMESPACE = "teamgraph";
  const storage = GraphiQL.createLocalStorage({ namespace: NAMESPACE });
  const TRACE_KEY = NAMESPACE + ":trace";
  let tracing = localStorage.getItem(TRACE_KEY) === "1";

  // The page's own URL, without its query string: the gateway answers GraphQL here.
  const url = window.location.origin + window.location.pathname;
  const send = GraphiQL.createFetcher({ url: url });
  function fetcher(params, options) {
    params = withOwnOperationName(params);
    if (!tracing) return send(params, options);
    const headers = Object.assign({}, options && options.headers);
    headers[config.traceHeader] = "1";
    return send(params, Object.assign({}, options, { headers: headers }));
  }

  // GraphiQL 3 updates the operation name a moment after a tab switch: run at once and it
  // sends the previous tab's name, which the gateway refuses. Send the document's own.
  function withOwnOperationName(params) {
    let names;
    try {
      names = GraphiQL.GraphQL.parse(params.query).definitions
        .filter(function (d) { return d.kind === "OperationDefinition"; })
        .map(function (d) { return d.name ? d.name.value : null; });
    } catch (error) {
      return params; // unparsable: the gateway says why
    }
    if (!params.operationName || names.indexOf(params.operationName) >= 0) return params;
    return Object.assign({}, params, { operationName: names.length === 1 ? names[0] : undefined });
  }

  function icon(paths) {
    return h(
      "svg",
      { viewBox: "0 0 24 24", width: 20, height: 20, fill: "none", stroke: "currentColor",
        strokeWidth: 1.5, strokeLinecap: "round", "aria-hidden": true },
      paths.map(function (d, i) { return h("path", { key: i, d: d }); }),
    );
  }
  const STOPWATCH = ["M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16z", "M12 9v4l2.5 2.5", "M10 2h4", "M12 2v3"];
  const RESTORE = ["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v4h4"];

  function TraceButton() {
    const [on, setOn] = React.useState(tracing);
    function toggle() {
      tracing = !on;
      localStorage.setItem(TRACE_KEY, tracing ? "1" : "0");
      setOn(tracing);
    }
    const label = on
      ? "Tracing is on: requests carry " + config.traceHeader + ": 1 (click to turn off)"
      : "Trace upstream calls: send " + config.traceHeader + ": 1 (click to turn on)";
    return h(
      ToolbarButton,
      { label: label, onClick: toggle, "aria-pressed": on, "data-trace": on ? "on" : "off",
        style: on ? { color: "hsl(var(--color-primary))" } : undefined },
      icon(STOPWATCH),
    );
  }

  function RestoreButton() {
    function restore() {
      // The examples open only when no tabs are stored: forget them, then reload for today's.
      storage.removeItem("graphiql:tabState");
      storage.removeItem("graphiql:query");
      storage.removeItem("graphiql:variables");
      window.location.reload();
    }
    return h(
      ToolbarButton,
      { label: "Restore the example tabs, with today's dates (closes your tabs)", onClick: restore },
      icon(RESTORE),
    );
  }

  // GraphiQL 3 fills the first tab's query from `defaultTabs` but not its variables: hand
  // them over, only when it opens the examples (no tabs stored), not to overwrite yours.
  const fresh = storage.getItem("graphiql:tabState") === null;
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    h(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      variables: fresh ? config.tabs[0].variables : undefined,
      storage: storage,
      defaultEditorToolsVisibility: "variables",
      inputValueDeprecation: true,
      toolbar: { additionalContent: [h(TraceButton, { key: "trace" }), h(RestoreButton, { key: "restore" })] },
    }),
  );
})();
