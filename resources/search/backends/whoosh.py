"""The embedded search engine: Haystack's Whoosh backend, made fit for readers.

Stock Haystack + Whoosh opens a new searcher for every query, runs an extra search to
narrow by model, stems facet fields, highlights with its own tokeniser and builds a
spelling corrector for every query (see DEVELOPERS.md). This backend keeps the Haystack
API (so Elasticsearch or Solr remain a settings change) and fixes those:

- one searcher per thread, kept open and reopened only when the index has changed;
- facet fields indexed as exact IDs or comma-separated keywords, never stemmed;
- highlights from Whoosh's own matcher, on word boundaries and stems, HTML-escaped;
- spelling suggestions only for words the index does not know, from a reader kept open;
- writes block on Whoosh's lock instead of failing silently or buffering in a thread;
- a tie-breaking rank column, so a recent review beats an old case report.
"""

import fcntl
import logging
import os
import threading
from contextlib import contextmanager

from django.utils.encoding import force_str
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID as WHOOSH_ID
from whoosh.fields import KEYWORD, NUMERIC, STORED, TEXT
from whoosh.highlight import ContextFragmenter, HtmlFormatter, WholeFragmenter
from whoosh.qparser import QueryParser
from whoosh.scoring import BM25F
from whoosh.sorting import Count, Facets, FieldFacet, OverlappingCategorizer
from whoosh.writing import CLEAR

log = logging.getLogger(__name__)

RANK_FIELD = "rank"
SPELLING_FIELD = "spelling"
RANK_WEIGHT = 0.03  # a rank of 10 adds 30% to a score: enough to break ties, not to bury
WRITE_TIMEOUT = 60  # seconds to wait for Whoosh's write lock before giving up loudly
PARALLEL_FROM = 1000  # documents in one update() from which Whoosh writes with several processes


class MarkFormatter(HtmlFormatter):
    """<mark>…</mark> around matched words; everything else HTML-escaped."""

    template = "<mark>%(t)s</mark>"


class RankedBM25F(BM25F):
    """BM25F, nudged by each document's rank column (0-10)."""

    def scorer(self, searcher, fieldname, text, qf=1):
        inner = super().scorer(searcher, fieldname, text, qf=qf)
        reader = searcher.reader()
        if not reader.has_column(RANK_FIELD):
            return inner
        return RankedScorer(inner, reader.column_reader(RANK_FIELD))


class RankedScorer:
    def __init__(self, inner, ranks):
        self.inner = inner
        self.ranks = ranks
        self.top = 1 + RANK_WEIGHT * 10

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def score(self, matcher):
        rank = self.ranks[matcher.id()] or 0
        return self.inner.score(matcher) * (1 + RANK_WEIGHT * rank)

    def max_quality(self):
        return self.inner.max_quality() * self.top

    def block_quality(self, matcher):
        return self.inner.block_quality(matcher) * self.top


class VectorCategorizer(OverlappingCategorizer):
    """Counts a multi-valued facet from term vectors; a document without topics has none."""

    def keys_for(self, matcher, docid):
        if not self._segment_searcher.reader().has_vector(docid, self._fieldname):
            return []
        return super().keys_for(matcher, docid)


class VectorFacet(FieldFacet):
    def categorizer(self, global_searcher):
        return VectorCategorizer(global_searcher, self.fieldname)


class KBWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._local = threading.local()

    # Schema -----------------------------------------------------------------------------

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if name not in schema.names():
                continue
            replacement = None
            if getattr(field, "facet_for", None) or name.endswith("_exact"):
                # Facets are exact values: never analysed, never stemmed, never split.
                # Counting reads per-document vectors or columns, never every posting.
                replacement = (
                    KEYWORD(stored=True, commas=True, lowercase=False, vector=True)
                    if field.is_multivalued
                    else WHOOSH_ID(stored=True, sortable=True)
                )
            elif name == SPELLING_FIELD:
                # Unstemmed words for suggestions. The document field gets no spelling
                # subfield: indexing every body word twice doubled the rebuild time.
                replacement = TEXT(
                    analyzer=StandardAnalyzer(stoplist=None), spelling=True, phrase=False
                )
            elif field.document:
                replacement = TEXT(
                    stored=True, analyzer=StemmingAnalyzer(), field_boost=field.boost
                )
            elif field.field_type == "integer":
                replacement = NUMERIC(stored=True, numtype=int, sortable=True, signed=False)
            elif not field.indexed and not field.is_multivalued:
                replacement = STORED()
            if replacement is not None:
                schema.remove(name)
                schema.add(name, replacement)
        return content_field_name, schema

    def setup(self):
        super().setup()
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self._local = threading.local()

    # Reading ------------------------------------------------------------------------------

    def searcher(self):
        """This thread's searcher, refreshed only when the index has changed."""
        if not self.setup_complete:
            self.setup()
        current = getattr(self._local, "searcher", None)
        if current is None:
            current = self.index.searcher(weighting=RankedBM25F())
        elif not current.up_to_date():
            # Never Searcher.refresh(): in whoosh-reloaded 2.7.5 it keeps the old segments,
            # so deleted documents stay and merged ones appear twice (tests/test_index_sync.py).
            current.close()
            current = self.index.searcher(weighting=RankedBM25F())
        self._local.searcher = current
        return current

    def generation(self):
        """Changes whenever the index is written: a cache key for derived data."""
        return self.searcher().reader().generation()

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        query_string = force_str(query_string).strip()
        if not query_string:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        searcher = self.searcher()
        parsed = self.parser.parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}

        filters = [self.parser.parse(force_str(nq)) for nq in narrow_queries or ()]
        if models:
            filters.append(
                wq.Or(
                    [
                        wq.Term(DJANGO_CT, f"{m._meta.app_label}.{m._meta.model_name}")
                        for m in models
                    ]
                )
            )
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        search_kwargs = {"pagelen": page_length}
        if filters:
            search_kwargs["filter"] = wq.And(filters) if len(filters) > 1 else filters[0]
        facets = list(facets or ())
        column_facets = [name for name in facets if self.schema[name].vector is None]
        # Multi-valued facets (topics) are counted from postings after the search, which
        # needs the full set of matches that grouping on a column facet collects.
        term_facets = [name for name in facets if name not in column_facets and column_facets]
        if facets:
            groups = Facets()
            for name in facets:
                if name in column_facets:
                    groups.add_facet(name, FieldFacet(name, maptype=Count))
                elif name not in term_facets:
                    groups.add_facet(name, VectorFacet(name, maptype=Count))
            search_kwargs["groupedby"] = groups
        if sort_by:
            search_kwargs["sortedby"] = [field.lstrip("-") for field in sort_by]
            search_kwargs["reverse"] = sort_by[0].startswith("-")

        try:
            page = searcher.search_page(parsed, page_num, **search_kwargs)
        except ValueError:  # a page number past the end
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        hits = page.total if page.pagenum == page_num else 0
        # Filter-only queries (a topic page of results) have no words to highlight.
        words = {f for f, _ in parsed.iter_all_terms()} & {self.content_field_name, "title"}
        results = self._results(page, highlight and bool(words), result_class) if hits else []
        suggestion = None
        if self.include_spelling and spelling_query:
            # Only the reader's own words are corrected, never field syntax or filters.
            suggestion = self.suggest(spelling_query, hits)
        counts = self._facets(page.results, [n for n in facets if n not in term_facets])
        if term_facets and hits:
            matched = page.results.docs()
            for name in term_facets:
                counts["fields"][name] = self._term_counts(searcher, name, matched)
        return {
            "results": results,
            "hits": hits,
            "facets": counts,
            "spelling_suggestion": suggestion,
        }

    def _results(self, page, highlight, result_class):
        result_class = result_class or SearchResult
        whole, context = WholeFragmenter(), ContextFragmenter(maxchars=240, surround=60)
        if highlight:
            page.results.formatter = MarkFormatter(between=" … ")
        results = []
        for hit in page:
            stored = hit.fields()
            app_label, model_name = stored.pop(DJANGO_CT).split(".")
            pk = stored.pop(DJANGO_ID)
            stored.pop(ID, None)
            model = haystack_get_model(app_label, model_name)
            index = self.unified_index_for(model)
            for name, value in list(stored.items()):
                field = index.fields.get(name) if index else None
                if field is not None and field.is_multivalued:
                    stored[name] = value.split(",") if value else []
                elif field is not None and hasattr(field, "convert"):
                    stored[name] = field.convert(value)
            if highlight:
                # Titles whole, text as two fragments of context.
                page.results.fragmenter = whole
                title = hit.highlights("title", top=1, minscore=0)
                page.results.fragmenter = context
                text = hit.highlights(self.content_field_name, top=2)
                stored["highlighted"] = {"title": title, self.content_field_name: text}
            results.append(result_class(app_label, model_name, pk, hit.score or 0, **stored))
        return results

    def unified_index_for(self, model):
        unified = connections[self.connection_alias].get_unified_index()
        try:
            return unified.get_index(model)
        except Exception:  # NotHandled: the model has no index any more
            return None

    def _term_counts(self, searcher, name, matched):
        """Matches per value of a multi-valued facet.

        Few matches: read each match's term vector. Many: intersect each value's postings
        with the matches (a few dozen topics, about two postings per document).
        """
        counts = {}
        reader = searcher.reader()
        if len(matched) <= 200:
            for docnum in matched:
                if reader.has_vector(docnum, name):
                    for value, _ in reader.vector_as("weight", docnum, name):
                        counts[value] = counts.get(value, 0) + 1
        else:
            for value in reader.field_terms(name):
                found = sum(1 for d in reader.postings(name, value).all_ids() if d in matched)
                if found:
                    counts[value] = found
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def _facets(self, results, names):
        if not names:
            return {"fields": {}, "dates": {}, "queries": {}}
        fields = {}
        for name in names:
            groups = results.groups(name)
            groups.pop(None, None)
            fields[name] = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
        return {"fields": fields, "dates": {}, "queries": {}}

    # Spelling ---------------------------------------------------------------------------

    def suggest(self, query_string, hits):
        """A corrected query, or None.

        Only words whose stems the index does not know are corrected, so a query that
        matches costs one term lookup per word and never builds a corrector.
        """
        searcher = self.searcher()
        reader = searcher.reader()
        field = self.content_field_name
        analyzer = self.schema[field].analyzer
        corrector = None
        changed = False
        corrected = []
        for word in self._words(query_string):
            stems = [token.text for token in analyzer(word)]
            known = all((field, stem) in reader for stem in stems)
            if not stems or known or len(word) < 4:
                corrected.append(word)  # a stop word, an acronym, or a word the index knows
                continue
            corrector = corrector or reader.corrector(SPELLING_FIELD)
            # prefix=1: walk only the terms sharing the first letter (about 1/20th).
            options = corrector.suggest(word.lower(), limit=1, maxdist=2, prefix=1)
            if options and options[0] != word.lower():
                corrected.append(options[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    def _words(self, text):
        for reserved in self.RESERVED_WORDS:
            text = text.replace(f" {reserved} ", " ")
        for char in self.RESERVED_CHARACTERS:
            text = text.replace(char, " ")
        return [w for w in text.split() if ":" not in w]

    def create_spelling_suggestion(self, query_string):
        return self.suggest(query_string, hits=0)

    # More like this ---------------------------------------------------------------------

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        searcher = self.searcher()
        docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
        if docnum is None:
            return {"results": [], "hits": 0}
        limit = (end_offset or 10) - start_offset
        # The text field has no term vectors: key terms come from its stored text.
        text = searcher.stored_fields(docnum).get(self.content_field_name, "")
        found = searcher.more_like(
            docnum, self.content_field_name, text=text, top=limit + start_offset, numterms=12
        )
        hits = found.scored_length()
        results = []
        for hit in list(found)[start_offset:]:
            stored = hit.fields()
            app_label, model_name = stored.pop(DJANGO_CT).split(".")
            pk = stored.pop(DJANGO_ID)
            stored.pop(ID, None)
            results.append(
                (result_class or SearchResult)(app_label, model_name, pk, hit.score or 0, **stored)
            )
        return {"results": results, "hits": hits}

    # Writing ------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self):
        """Serialise index writers across processes (read DB -> write index -> dequeue)."""
        if not self.use_file_storage:
            yield
            return
        os.makedirs(self.path, exist_ok=True)
        with open(os.path.join(self.path, ".kb-write.lock"), "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        objects = list(iterable)
        options = {"timeout": WRITE_TIMEOUT}
        if len(objects) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            # A rebuild: analyse in worker processes while this one prepares documents.
            options.update(procs=min(os.cpu_count(), 4), limitmb=128)
        writer = self.index.writer(**options)
        try:
            for obj in objects:
                doc = index.full_prepare(obj)
                doc.pop("boost", None)
                writer.update_document(**{k: self._from_python(v) for k, v in doc.items()})
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=WRITE_TIMEOUT)
        try:
            for identifier in identifiers:
                writer.delete_by_term(ID, identifier)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def clear(self, models=None, commit=True):
        """Empty the index (or one model's part) in a new generation.

        Stock Haystack deletes the folder, which can reset the generation number that
        other processes' searchers compare against, leaving them on the old index.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=WRITE_TIMEOUT)
        if models:
            for model in models:
                writer.delete_by_term(
                    DJANGO_CT, f"{model._meta.app_label}.{model._meta.model_name}"
                )
            writer.commit()
        else:
            writer.commit(mergetype=CLEAR)

    def stored_documents(self):
        """Every document in the index as {identifier: stored fields}, for verification."""
        searcher = self.searcher()
        return {fields[ID]: fields for fields in searcher.all_stored_fields()}


class KBWhooshSearchQuery(WhooshSearchQuery):
    pass


class KBWhooshEngine(WhooshEngine):
    backend = KBWhooshBackend
    query = KBWhooshSearchQuery
