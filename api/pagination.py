"""Pages of list answers: ``?page=`` and ``?page_size=``, always in a stable order."""
from __future__ import annotations

from rest_framework import pagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}``. Every list view orders by its columns and
    then by id (see ``filters.StableOrderingFilter``), so paging never repeats or skips a row."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
