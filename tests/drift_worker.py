"""One of several processes writing at once, for the concurrent drift test.

Run as: python -m tests.drift_worker SEED OPERATIONS
with DATABASE_URL and SEARCH_PATH pointing at the test database and index.
"""

import os
import random
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from resources.models import Article, Resource, WorkflowError  # noqa: E402

TOPICS = ["Coping", "Pumping", "Causes", "Severe D-MER", "Research"]


def run(seed, operations):
    rng = random.Random(seed)
    mine = []
    for step in range(operations):
        with transaction.atomic():
            choice = rng.random()
            if choice < 0.35 or not mine:
                article = Article.objects.create(
                    title=f"Worker {seed} article {step}",
                    slug=f"w{seed}-a{step}",
                    summary="Concurrent write.",
                    body=f"Written by worker {seed} at step {step}.",
                    status=rng.choice([Resource.Status.PUBLISHED, Resource.Status.DRAFT]),
                )
                article.topics.add(rng.choice(TOPICS))
                mine.append(article.pk)
                continue
            article = Article.objects.filter(pk=rng.choice(mine)).first()
            if article is None:
                continue
            if choice < 0.55:
                article.body += f" Edited at {step}."
                article.title = f"Worker {seed} edited {step}"
                article.save()
            elif choice < 0.70:
                article.topics.set([rng.choice(TOPICS), rng.choice(TOPICS)])
            elif choice < 0.85:
                article.status = rng.choice(list(Resource.Status.values))
                article.save()
            else:
                pk = article.pk
                try:
                    article.delete()
                except WorkflowError:
                    continue  # a page that was ever public is never deleted
                mine.remove(pk)


if __name__ == "__main__":
    run(int(sys.argv[1]), int(sys.argv[2]))
