"""Test-only generators: hand-written UBL/CII e-invoices and hostile files
(compression bombs, broken PDFs). Not part of the product package."""
