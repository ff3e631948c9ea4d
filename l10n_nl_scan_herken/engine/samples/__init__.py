"""Invoices with known values, rendered as PDF or scan: the demo data, tests
and benchmarks all use them (public names only)."""
