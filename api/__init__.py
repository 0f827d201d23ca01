"""The REST API, version 1: the same access rules and write path as the pages, in JSON.

Querysets come from ``countries.access``; writes go through ``operations.services``. This
package holds the API's plumbing (authentication, throttling, idempotency, errors, paging,
schema) and one module per area (directory, records, returns, totals, tokens).
"""
