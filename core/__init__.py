"""The bottom layer: plumbing every app may use and that knows no app.

Errors and their one API body, strict input fields, how API values are written, rate limits,
the JSON parser, the per-process event loop, real-time pushes to the channel layer, WebSocket
authentication, database-outage handling, form helpers, and domain events sent on commit
(core.events). Nothing here imports a Tandem app (import-linter checks it, README "Layers").
"""
