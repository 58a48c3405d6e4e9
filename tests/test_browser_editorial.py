"""Moderators in real Chromium: the Markdown editor's live preview and citation picker,
and a moderator's day with a correction to a live page."""

import pytest
from django.core.management import call_command

from .factories import ensure_roles, make_staff
from .test_browser import login, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    ensure_roles()
    return live_server.url


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_editor_previews_markdown_and_picks_a_citation(site, desk):
    make_staff("edna", "Editors")
    login(desk, site, "edna", "pw-edna-123")
    desk.goto(site + "/admin/resources/article/add/")
    body = desk.locator("#id_body")
    preview = desk.locator(".field-body .markdown-preview")
    body.fill("## Letdown\n\nSadness at letdown is described [@heise2011].")
    heading = preview.locator("h2", has_text="Letdown")
    heading.wait_for()
    assert preview.locator("sup.cite a").inner_text() == "1"
    assert "Dysphoric milk ejection reflex: A case report" in preview.inner_text()
    assert preview.get_attribute("aria-live") == "polite"
    # Something that calls for the crisis box shows it in the preview, as on the site.
    assert preview.locator(".crisis-box").count() == 0
    body.press("End")
    body.press_sequentially(" Some mothers have suicidal thoughts.")
    preview.locator(".crisis-box").wait_for()

    # The citation picker: search by author, pick with the keyboard, [@key] at the cursor.
    body.evaluate("el => el.setSelectionRange(el.value.indexOf(' is described'), "
                  "el.value.indexOf(' is described'))")  # fmt: skip
    search = desk.get_by_label("Insert a citation: search references by key, title or author")
    search.first.fill("Ureño")
    choice = desk.locator(".field-body .citation-choice").first
    choice.wait_for()
    assert desk.locator(".field-body .citation-choice").count() == 2
    assert choice.inner_text().startswith("[@ureno2018]")
    key = "ureno2018"
    search.first.press("Enter")  # moves to the first result; does not submit the form
    assert desk.url.endswith("/admin/resources/article/add/")
    desk.keyboard.press("Enter")
    assert f"letdown [@{key}] is described [@heise2011]" in body.input_value()
    preview.locator("sup.cite a", has_text="2").wait_for()
    assert preview.locator("sup.cite a").all_inner_texts() == ["1", "2"]
    desk.locator(".field-body").screenshot(path=str(screenshot_dir() / "markdown-editor.png"))
