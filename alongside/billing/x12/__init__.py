"""X12 for billing: the 837P claim file we write and the 835 remittance we read.

Plain data in, text out (and back): nothing here reads or writes the database. The shapes are
in ``x12.model``; ``x12.claims.write_837p`` writes a file, ``x12.validate.x12_errors`` checks
any X12 text with pyx12, and ``x12.remittance.read_835`` reads a remittance.
"""
