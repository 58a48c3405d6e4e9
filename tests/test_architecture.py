"""The rooms of resources/ stay as declared: the layers contracts and the README's map."""

import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree):
    command = [str(LINT_IMPORTS), "--no-cache"]
    return subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=120)


@contextmanager
def copy_of_the_code(edit_path, added_line):
    """The project's code and contracts in a temporary folder, with one line added."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / "resources", tree / "resources", ignore=ignore)
        shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
        edited = tree / edit_path
        edited.write_text(edited.read_text() + f"\n{added_line}  # noqa\n")
        yield tree


class LayersContractTests(SimpleTestCase):
    def test_the_code_keeps_its_layers(self):
        result = lint_imports(ROOT)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("Contracts: 2 kept, 0 broken.", result.stdout)

    def test_a_lower_layer_importing_a_higher_one_breaks_the_build(self):
        with copy_of_the_code("resources/models/querysets.py", "from ..pages import views") as tree:
            result = lint_imports(tree)
        self.assertEqual(result.returncode, 1)
        self.assertIn("resources.models.querysets -> resources.pages.views", result.stdout)
        self.assertIn("Contracts: 1 kept, 1 broken.", result.stdout)

    def test_a_module_outside_search_importing_haystack_breaks_the_build(self):
        line = "from haystack.query import SearchQuerySet"
        with copy_of_the_code("resources/links/feeds.py", line) as tree:
            result = lint_imports(tree)
        self.assertEqual(result.returncode, 1)
        self.assertIn("resources.links is not allowed to import haystack", result.stdout)
