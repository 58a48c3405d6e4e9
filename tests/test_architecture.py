"""The rooms of resources/ stay as declared: the layers contracts and the README's map."""

import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
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


def readme_map():
    """The modules named in the README's map of resources/, as paths relative to ROOT."""
    text = (ROOT / "README.md").read_text()
    block = text.split("## What is here", 1)[1].split("```", 2)[1]
    paths, folders = set(), []
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        words = line.split()
        if not words or not (indent or words[0] == "resources/"):
            continue
        depth = indent // 2
        del folders[depth:]
        if words[0].endswith("/"):
            folders.append(words[0])
            continue
        modules = (
            [w for w in words if w.endswith(".py")]
            if folders[-1].endswith("commands/")
            else [words[0]]
        )
        paths.update("".join(folders) + module for module in modules)
    return paths, block


class ReadmeMapTests(SimpleTestCase):
    def test_every_module_is_on_the_map_and_the_map_names_no_other(self):
        on_disk = {
            str(path.relative_to(ROOT))
            for path in (ROOT / "resources").rglob("*.py")
            if path.name != "__init__.py" and "migrations" not in path.parts
        }
        mapped, _ = readme_map()
        self.assertEqual(sorted(on_disk - mapped), [], "modules missing from the README's map")
        self.assertEqual(sorted(mapped - on_disk), [], "the README's map names modules not there")

    def test_every_model_is_named_on_the_map(self):
        _, block = readme_map()
        models = [model.__name__ for model in apps.get_app_config("resources").get_models()]
        self.assertEqual([name for name in models if name not in block], [])
