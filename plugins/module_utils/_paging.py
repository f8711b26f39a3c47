# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huawei.isales contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading every item of a paged list call, for any resource.

A resource describes its list call with a ListSpec (the call, the names of the
page parameters, the page size, fixed query parameters, where the rows and the
total are in an answer, how to check an item); read_list() reads it with the
guarantees every list of the collection has:

* a list is read until a page shorter than the page size (or empty): a total the
  server reports is only a hint of how many pages to read at once, never a reason
  to stop;
* a server that pages smaller than asked is followed (the first page's length is
  then its page size);
* a listing whose pages repeat an item is read again from its first page, at most
  LIST_ATTEMPTS times in all, then refused;
* at most MAX_PAGES pages are read; a list still going on after that is refused.

A spec with ends="total" (the campaign list, whose server may ignore the page size
asked for) ends differently: a short page ends the list only once the rows read
reach the total the server reported, an empty page or a page of rows already read
always ends it, and an answer with no rows under any known key is an empty list
only when its total is 0.

Private module_utils: may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.huawei.isales.plugins.module_utils._errors import KIND_PARSE, IsalesError, bad_answer

# The list calls read at most this many pages, whatever the server's total says.
MAX_PAGES = 1000
# A listing whose pages repeat items (the list moved while it was read, or the server
# pages wrongly) is read again from its first page, at most this many times in all.
LIST_ATTEMPTS = 3


class ListSpec(object):
    """How one resource's list call pages.

    call: the list call (a _client.Call). check(row, call label) -> the item as the
    collection uses it, or IsalesError (parse); id_key: the key of a checked item that
    identifies it. rows_keys / total_keys: where an answer holds its rows and its total,
    the first key present winning. page_param / size_param / page_size: how a page is
    asked for; query: fixed query parameters sent before them.
    """

    def __init__(self, call, check, id_key, rows_keys=("data",), total_keys=("totalCount",),
                 page_param="pageNum", size_param="pageSize", page_size=50, query=None, ends="short_page"):
        self.call = call
        self.check = check
        self.id_key = id_key
        self.rows_keys = tuple(rows_keys)
        self.total_keys = tuple(total_keys)
        self.page_param = page_param
        self.size_param = size_param
        self.page_size = page_size
        self.query = dict(query or {})
        self.ends = ends

    def page_query(self, number, size=None):
        """The query of page `number` (from 1), `size` rows (default: the spec's page size)."""
        query = dict(self.query)
        query[self.size_param] = str(self.page_size if size is None else size)
        query[self.page_param] = str(number)
        return query

    def _first(self, payload, keys):
        for key in keys:
            if payload.get(key) is not None:
                return key, payload[key]
        return keys[0], None

    def rows(self, payload, call):
        """(the key, the rows) of one page's answer; [] when it has none (with ends="total", only when
        its total is 0)."""
        key, rows = self._first(payload, self.rows_keys)
        if rows is None and self.ends == "total" and self.total(payload):
            raise bad_answer(call, "no rows under %s but a total of %d (keys: %s)" % (
                " or ".join(self.rows_keys), self.total(payload), ", ".join(sorted(payload))), None)
        return key, [] if rows is None else rows

    def total(self, payload):
        """The total a page's answer reports, 0 when it reports none that makes sense."""
        total = self._first(payload, self.total_keys)[1]
        return total if isinstance(total, int) and not isinstance(total, bool) and total > 0 else 0


class RepeatedItem(Exception):
    """A page held an item an earlier page of the same listing held."""


class Pages(object):
    """The pages of one list call, added in order.

    A page shorter than the page size (or empty) completes the list. The page size is the
    spec's, as asked, unless the first page is shorter while the total says there is more:
    then the server pages smaller than asked, and the first page's length is its size.
    """

    def __init__(self, spec, call):
        self.spec = spec
        self.call = call
        self.items = []
        self.seen = set()
        self.count = 0
        self.total = None
        self.page_size = spec.page_size
        self.complete = False

    def hint_pages(self):
        """How many pages the total (of the first page) says there are, within MAX_PAGES."""
        return min(MAX_PAGES, -(-(self.total or 0) // self.page_size))

    def add(self, payload):
        key, chunk = self.spec.rows(payload, self.call)
        if not isinstance(chunk, list):
            raise bad_answer(self.call, "a %s that is not a list" % key, chunk)
        self.count += 1
        if self.spec.ends == "total":
            self._add_to_total(payload, chunk)
            return
        if self.total is None:
            self.total = self.spec.total(payload)
            if 0 < len(chunk) < self.spec.page_size and len(chunk) < self.total:
                self.page_size = len(chunk)
        id_key = self.spec.id_key
        for raw in chunk:
            item = self.spec.check(raw, self.call)
            ident = item[id_key]
            if ident in self.seen:
                raise RepeatedItem("%s %s again on page %d" % (id_key, ident, self.count))
            self.seen.add(ident)
            self.items.append(item)
        if len(chunk) < self.page_size:
            self.complete = True
        elif self.count >= MAX_PAGES:
            raise self._too_long()

    def _too_long(self):
        return IsalesError(
            "%s: the list still went on after %d pages (%d items); the collection reads at most %d pages of a list"
            % (self.call, self.count, len(self.items), MAX_PAGES), KIND_PARSE, call=self.call, sent=True)

    def _add_to_total(self, payload, chunk):
        if self.total is None:
            self.total = self.spec.total(payload)
        new = 0
        for raw in chunk:
            item = self.spec.check(raw, self.call)
            if item[self.spec.id_key] not in self.seen:
                self.seen.add(item[self.spec.id_key])
                self.items.append(item)
                new += 1
        if not new or (len(chunk) < self.spec.page_size and len(self.items) >= self.total):
            self.complete = True
        elif self.count >= MAX_PAGES:
            raise self._too_long()


def read_list(client, spec, params, pool=None):
    """Every item of spec's list call with path parameters params, each checked.

    With a pool (_workers.ClientPool), pages after the first are read concurrently, as many
    at a time as the pool has workers, within what the total says; past it, one at a time.
    """
    path = client.path(spec.call, params)
    call = "GET %s" % path
    batch = pool.size if pool is not None else 1

    def read_page(reader, number):
        return reader.read("GET", path, query=spec.page_query(number))

    repeated = None
    for _attempt in range(LIST_ATTEMPTS):
        pages = Pages(spec, call)
        try:
            pages.add(read_page(client, 1))
            while not pages.complete:
                count = min(max(1, min(batch, pages.hint_pages() - pages.count)), MAX_PAGES - pages.count)
                numbers = list(range(pages.count + 1, pages.count + 1 + count))
                if pool is not None and count > 1:
                    payloads = pool.map(read_page, numbers)
                else:
                    payloads = [read_page(client, number) for number in numbers]
                for payload in payloads:
                    pages.add(payload)
                    if pages.complete:
                        break
            return pages.items
        except RepeatedItem as err:
            repeated = err
    raise IsalesError(
        "the pages of %s repeated items already seen (%s) in each of %d readings from page 1: the list kept "
        "changing while it was read, or the server does not page as asked" % (call, repeated, LIST_ATTEMPTS),
        KIND_PARSE, call=call, sent=True)
