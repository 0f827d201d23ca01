"""Pages of list answers: ``?page=`` and ``?page_size=``, always in a stable order."""
from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class PageNumberPagination(pagination.PageNumberPagination):
    """``{"count", "next", "previous", "results"}``. Every list view orders by its columns and
    then by id (see ``filters.StableOrderingFilter``), so paging never repeats or skips a row.
    A ``page_size`` that is not a whole number from 1 to 500 is refused (400), not replaced."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        sent = request.query_params.getlist(self.page_size_query_param)
        if not sent:
            return self.page_size
        size = int(sent[0]) if len(sent) == 1 and re.fullmatch(r"[0-9]{1,6}", sent[0]) else None
        if size is None or not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [
                _("Enter a whole number from 1 to %(max)s, once.") % {"max": self.max_page_size}]})
        return size

    def get_page_number(self, request, paginator):
        """``?page=`` sent empty or more than once is refused (400): DRF would read it as page 1.
        A page that is not a number, or past the last, answers 404 as DRF's does."""
        sent = request.query_params.getlist(self.page_query_param)
        if len(sent) > 1 or sent == [""]:
            raise exceptions.ValidationError({self.page_query_param: [
                _("Enter a page number from 1, once.")]})
        return sent[0] if sent else 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters
