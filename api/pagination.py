from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Pages of 100 rows (``?page=2``), up to 500 with ``?page_size=``."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
