"""Open Referral HSDS 3.0 for the directory: import, export, and what the HSDS API serves.

``importer.hsds_import`` reads a tabular data package or JSON (``reading``), checks every
value (``cleaning``), plans every write (``planning``) and only then writes, in one
transaction. ``exporter`` writes a data package or JSON from ``documents``, which the API at
``/api/hsds/`` (``directory.api_hsds``) uses too. ``mapping`` says how HSDS fields become ours;
``tables`` is the HSDS tabular schema itself. See ``docs/hsds.md``.
"""
