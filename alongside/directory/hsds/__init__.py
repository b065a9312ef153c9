"""Open Referral HSDS 3.0 for the directory: import, export, and what the HSDS API serves.

``importer.hsds_import`` reads a tabular data package or JSON (``reading``) twice: a first
pass checks every value (``cleaning``) and reference (``checking``), keeping only ids and a
few facts; only then a second pass plans and writes a batch at a time (``planning``), in one
transaction. ``exporter`` writes a data package or JSON from ``documents``, which the API at
``/api/hsds/`` (``directory.api_hsds``) uses too. ``mapping`` says how HSDS fields become ours;
``tables`` is the HSDS tabular schema itself. See ``docs/hsds.md``.
"""
