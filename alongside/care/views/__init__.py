"""Care pages for peer specialists and supervisors, under /staff/care/, one module per concept.

Every view: ``staff_required`` → the participant through ``participant_for_request_or_404``
(404 outside what the membership may see; GETs are audited as views) and any record of theirs
through ``get_for_org_or_404`` → form → service → redirect (``common.care_form``). Nothing here
logs participant data, and URLs carry only UUIDs.
"""
