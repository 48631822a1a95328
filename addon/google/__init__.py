"""Adapters to Google's APIs, the same code against Google and against the local stand-in.

Layers, gspread-style: `errors` (one exception family for every Google failure), `retry`
(backoff, and translation of library exceptions), `accounting` (requests counted by method),
`clients` (building services for a `Backend`), `idtokens` (verifying add-on ID tokens).
Nothing outside this package imports googleapiclient's or gspread's exception types.
"""
