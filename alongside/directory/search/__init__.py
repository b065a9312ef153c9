"""The directory's search, behind both ``/find/`` and ``/api/v1/search``: see README.md."""

from alongside.directory.search.engine import Result, SearchResults, services_search
from alongside.directory.search.params import SearchParams

__all__ = ["Result", "SearchParams", "SearchResults", "services_search"]
