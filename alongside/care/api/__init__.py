"""The care records' JSON API under ``/api/v1/participants/…`` (see docs/care.md, *API*)."""

from alongside.care.api.routes import router

__all__ = ["router"]
