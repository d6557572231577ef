"""The pages' navigation (core/_pages.html). dkfds hides its list of links below 768 px and shows
`.pagination-mobile` instead: the links must be in both, or a phone cannot reach page 2 (seen in
Chromium at 375 px: every paged list had no link at all there)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


def test_a_middle_page_links_both_ways_on_a_wide_screen_and_on_a_phone() -> None:
    page = Paginator(range(60), 25).get_page(2)
    with translation.override("en"):
        html = render_to_string("core/_pages.html", {"page": page, "page_query": "stage=running", "label": "Pages"})

    wide = html[html.index('<ul class="pagination__items">') : html.index("</ul>")]
    phone = html[html.index('<p class="pagination-mobile">') : html.index("</p>")]
    for part in (wide, phone):
        links = re.findall(r'<a class="pagination-nav-link" href="([^"]+)">([^<]+)</a>', part)
        assert links == [("?stage=running&amp;page=1", "Previous page"), ("?stage=running&amp;page=3", "Next page")]
        assert "Page 2 of 3" in part


def test_a_single_page_has_no_navigation() -> None:
    page = Paginator(range(10), 25).get_page(1)
    assert "pagination" not in render_to_string("core/_pages.html", {"page": page, "page_query": "", "label": "x"})
