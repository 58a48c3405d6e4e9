"""The search evaluation: lay queries and the page each must find, scored as a reader sees it.

A query is answered as the search page answers it: an exact title or alias goes straight
to its page (rank 1); otherwise the first page of results, crisis pages and pins included.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from . import query
from .answer import answer
from .forms import Filters, clean_query

DATA = Path(__file__).with_name("evaluation.yaml")
DEPTH = 10


@dataclass
class Judgement:
    query: str
    slug: str
    found: list
    rank: int | None  # 1-based place of the wanted page in the first ten, or None


def load(path=DATA):
    return yaml.safe_load(Path(path).read_text())


def slugs_for(text):
    match = query.exact_match(text)
    if match is not None:
        return [match.slug]
    results = answer(clean_query(text), Filters()).outcome.results[:DEPTH]
    return [result.url.rstrip("/").rsplit("/", 1)[-1] for result in results]


def judge(case):
    found = slugs_for(case["q"])
    rank = found.index(case["slug"]) + 1 if case["slug"] in found else None
    return Judgement(case["q"], case["slug"], found, rank)


def scores(judgements):
    count = len(judgements) or 1
    return {
        "queries": len(judgements),
        "mrr@10": sum(1 / j.rank for j in judgements if j.rank) / count,
        "top1": sum(1 for j in judgements if j.rank == 1) / count,
        "top5": sum(1 for j in judgements if j.rank and j.rank <= 5) / count,
    }


def evaluate(path=DATA):
    judgements = [judge(case) for case in load(path)]
    return judgements, scores(judgements)
