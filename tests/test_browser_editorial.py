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
    ensure_crisis_terms()
    return live_server.url


def ensure_crisis_terms():
    """The seeded crisis terms, after a test flushed the rows the migration created."""
    import importlib

    from django.apps import apps

    importlib.import_module("resources.migrations.0011_foundation_fields").seed_terms(apps, None)


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


def click_step(page, label):
    """A workflow button on the edit screen, then the confirmation page's own button."""
    page.locator(".workflow-steps a", has_text=label).click()
    page.locator(".submit-row input[type=submit]").click()


# The correction: the editor first drops the sentence about medicines, then puts it back.
FIRST = "The sources describe learning about D-MER, and keeping a diary of what makes it "
FIRST += "worse or better."
SECOND = "No medicine is approved for D-MER, and no trial has tested any approach. " + FIRST


def test_a_moderators_day_correction_to_a_live_page(site, browser):
    from resources.models import Article

    for name, role in (("edna", "Editors"), ("moira", "Moderators"), ("mona", "Moderators")):
        make_staff(name, role)
    article = Article.objects.get(slug="coping-with-d-mer")
    original = article.summary
    change = f"{site}/admin/resources/article/{article.pk}/change/"
    shots = screenshot_dir()
    desk = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = desk.new_page()
    reader = browser.new_page()

    # An editor proposes a correction to the live page and submits it.
    login(page, site, "edna", "pw-edna-123")
    page.goto(change)
    page.fill("#id_summary", FIRST)
    page.click("input[name=_save]")
    assert "Saved as a draft" in page.locator(".messagelist").inner_text()
    click_step(page, "Submit for review")
    assert "Submit for review: done" in page.locator(".messagelist").inner_text()

    # Readers still see the live page.
    reader.goto(f"{site}/articles/coping-with-d-mer/")
    assert original in reader.content()
    assert "keeping a diary" not in reader.content()
    reader.goto(f"{site}/search/?q=diary")
    assert "Coping with D-MER day to day" not in reader.locator("main").inner_text()

    # A moderator compares the draft with the live page and asks for a change.
    page.context.clear_cookies()
    login(page, site, "moira", "pw-moira-123")
    page.goto(change)
    panel = page.locator(".workflow-panel")
    assert "changes waiting: in review" in panel.locator("h2").inner_text()
    page.screenshot(path=str(shots / "workflow-panel.png"), full_page=False)
    page.get_by_role("link", name="Compare the draft with the live page").first.click()
    assert page.locator("ins", has_text="keeping a diary").count() == 1
    assert page.locator("del", has_text="No medicine is approved").count() == 1
    page.screenshot(path=str(shots / "draft-diff.png"), full_page=True)
    page.goto(change)
    page.locator(".workflow-steps a", has_text="Request changes").click()
    page.locator(".submit-row input[type=submit]").click()  # no comment: refused, kept
    assert page.url.endswith("/workflow/request_changes/")
    page.fill("#id_comment", "Keep the sentence about medicines and trials.")
    page.screenshot(path=str(shots / "request-changes.png"), full_page=False)
    page.locator(".submit-row input[type=submit]").click()
    assert "Request changes: done" in page.locator(".messagelist").inner_text()

    # The editor sees the comment, revises and submits again.
    page.context.clear_cookies()
    login(page, site, "edna", "pw-edna-123")
    page.goto(change)
    note = page.locator(".changes-requested")
    assert "Keep the sentence about medicines and trials." in note.inner_text()
    assert page.locator("#id_summary").input_value() == FIRST
    page.fill("#id_summary", SECOND)
    page.click("input[name=_save]")
    click_step(page, "Submit for review")

    # The first moderator's request is in the history; a second moderator approves.
    page.context.clear_cookies()
    login(page, site, "mona", "pw-mona-123")
    page.goto(change)
    events = page.locator(".workflow-events")
    events.locator("summary").click()
    assert "Keep the sentence about medicines and trials." in events.inner_text()
    click_step(page, "Approve and publish")
    assert "Approve and publish: done" in page.locator(".messagelist").inner_text()
    desk.close()

    # Readers see the correction on the page, in search and in the feed.
    reader.goto(f"{site}/articles/coping-with-d-mer/")
    assert SECOND in reader.content()
    reader.goto(f"{site}/search/?q=diary")
    assert "Coping with D-MER day to day" in reader.locator("ol.results").inner_text()
    feed = reader.request.get(f"{site}/feed/rss/").text()
    assert "keeping a diary" in feed
    reader.close()
