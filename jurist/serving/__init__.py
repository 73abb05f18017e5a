"""Decisions over HTTP: `jurist serve`, an adapter over the engine and the store, as the GUI is.

One module per job: `settings` (everything the server is started with, every
limit), `server` (uvicorn, workers, the socket), `worker` (what one process
decides with), `app` (the routes), `protocol` (connection and request-time
limits in uvicorn's protocol), `body` (framing, type and strict JSON),
`images` (`--image-dir`), `auth` (bearer tokens), `policies` (the served
version and following the store), `rollout` (canary and shadow),
`decision_log` (records to JSON Lines files and the store), `metrics`
(Prometheus), `openapi` (the API description).  docs/serving.md is the
operator's guide.
"""
