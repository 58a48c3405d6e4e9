"""A reader's path through the site in real Chromium, and an axe-core accessibility scan."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from .conftest import ARTIFACTS, screenshot
from .factories import admin_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    return live_server.url


def test_reader_follows_a_topic_to_an_article_and_its_references(site, phone):
    phone.goto(site + "/")
    assert phone.locator("h1").count() == 1
    phone.get_by_role("link", name="Coping", exact=True).first.click()
    assert phone.locator("h1").inner_text() == "Coping"
    phone.get_by_role("link", name="Coping with D-MER day to day").click()
    assert phone.locator("h1").inner_text() == "Coping with D-MER day to day"
    references = phone.locator("ol.reference-list > li")
    assert references.count() >= 5
    # The first citation in the text jumps to the first entry of the list.
    phone.locator("sup.cite a").first.click()
    assert phone.url.endswith("#ref-1")
    assert "Skowrońska" in references.first.inner_text()
    assert phone.get_by_text("Page last reviewed").is_visible()
    # Nothing overflows sideways on a phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert screenshot(phone, "article-phone").stat().st_size > 10_000


def test_page_is_readable_at_320_pixels(site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/strategies/low-dose-naltrexone/", "/articles/how-common-is-d-mer/"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_have_no_serious_accessibility_violations(site, browser, scheme):
    from resources.models import Article

    retired = Article.objects.get(slug="postcoital-dysphoria")
    retired.replaced_by = Article.objects.get(slug="what-is-d-mer")
    retired.status = Article.Status.ARCHIVED
    retired.save()
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    pages = [
        "/",
        "/articles/postcoital-dysphoria/",  # archived: the notice too
        "/articles/what-is-d-mer/",
        "/articles/severe-d-mer-and-suicidal-thoughts/",
        "/references/heise-wiessinger-2011-case-report/",
        "/strategies/low-dose-naltrexone/",
        "/search/?q=dopamine",
    ]
    problems = []
    for path in pages:
        page.goto(site + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((path, violation["id"], violation["help"]))
    context.close()
    assert problems == []


def test_keyboard_user_can_skip_to_content_and_sees_focus(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    context.close()


def test_the_accessibility_scanner_really_reports_violations(browser):
    page = browser.new_page()
    page.set_content('<html lang="en"><body><main><input type="text"></main></body></html>')
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    page.close()
    assert "label" in ids


def test_reader_searches_filters_and_follows_a_suggestion(site, phone):
    phone.goto(site + "/")
    box = phone.locator("#home-search")
    box.fill("sad when milk lets down")
    box.press("Enter")
    phone.wait_for_url("**/search/?q=*")
    results = phone.locator("ol.results > li")
    assert results.count() >= 2
    assert results.first.locator("a.resource-title").inner_text() == "What is D-MER?"
    assert phone.locator("ol.results mark").count() >= 3
    before = results.count()

    phone.locator(".facets a", has_text="References").click()
    phone.wait_for_url("**kind=reference*")
    kinds = {k.upper() for k in phone.locator("ol.results p.kind").all_inner_texts()}
    assert kinds == {"REFERENCE"}
    assert phone.locator("ol.results > li").count() < before

    phone.goto(site + "/search/?q=dopamne+hypotheis")
    suggestion = phone.locator(".suggestion a")
    assert suggestion.inner_text() == "dopamine hypothesis"
    suggestion.click()
    # The corrected words are an alias of an article, so the reader lands on it.
    phone.wait_for_url("**/articles/what-causes-d-mer-dopamine-hypothesis/")
    assert "dopamine hypothesis" in phone.locator("h1").inner_text()


def test_autocomplete_suggests_as_you_type(site, phone):
    phone.goto(site + "/articles/")
    box = phone.locator("#site-search")
    box.press_sequentially("dopa", delay=60)
    options = phone.locator("datalist#search-suggestions-0 option")
    options.first.wait_for(state="attached", timeout=5000)
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert "What causes D-MER? The dopamine hypothesis" in values
    # Picking a title searches for it exactly, which goes straight to the page.
    box.fill("What causes D-MER? The dopamine hypothesis")
    box.press("Enter")
    phone.wait_for_url("**/articles/what-causes-d-mer-dopamine-hypothesis/")


def test_print_stylesheet_makes_a_clean_handout(site, browser):
    page = browser.new_page()
    page.goto(site + "/strategies/low-dose-naltrexone/")
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible()
    assert not page.locator("form.search-form").first.is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator("ol.reference-list").is_visible()
    # Links in the source list print their address, so a clinician can follow them on paper.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.reference-list a[href^=\"http\"]'), "
        "'::after').content"
    )
    assert "http" in after
    page.close()


def test_share_box_copies_the_markdown_link(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site + "/articles/what-is-d-mer/")
    row = page.locator(".share-row", has_text="Markdown")
    row.get_by_role("button", name="Copy").click()
    page.wait_for_function("document.querySelector('.share-row button').textContent")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"[What is D-MER?]({site}/articles/what-is-d-mer/)"
    assert row.get_by_role("button").inner_text() == "Copied"
    context.close()


def test_share_texts_are_selectable_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/articles/what-is-d-mer/")
    field = page.get_by_label("BBCode (phpBB and similar forums)")
    assert field.input_value() == f"[url={site}/articles/what-is-d-mer/]What is D-MER?[/url]"
    assert not page.get_by_role("button", name="Copy").first.is_visible()
    context.close()


def test_pages_make_no_third_party_requests(site, browser):
    page = browser.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("/", "/articles/what-is-d-mer/", "/search/?q=dopamine"):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    page.close()
    assert requested
    assert [url for url in requested if not url.startswith(site)] == []


def screenshot_dir():
    """docs/screenshots when asked for (SCREENSHOTS_TO_DOCS=1), the test artifacts otherwise."""
    import os
    from pathlib import Path

    if os.environ.get("SCREENSHOTS_TO_DOCS"):
        return Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def login(page, site, username, password):
    page.goto(site + admin_url("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(site + admin_url("index"))


def test_editor_submits_moderator_publishes_and_readers_see_it(site, browser):
    from django.contrib.auth.models import Group, User

    from resources.models import Article

    from .factories import ensure_roles

    ensure_roles()
    for name, group in (("edna", "Editors"), ("moira", "Moderators")):
        user = User.objects.create_user(name, password=f"pw-{name}-123", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    import reversion
    from reversion.models import Version

    article = Article.objects.get(slug="coping-with-d-mer")
    article.status = "draft"
    with reversion.create_revision():  # the page as it was before this story starts
        article.save()
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    # The editor edits the draft and submits it for review.
    login(page, site, "edna", "pw-edna-123")
    page.goto(site + admin_url("resources_article_change", article.pk))
    body = page.locator("#id_body")
    body.fill(body.input_value() + "\n\nTalking to other mothers who have had D-MER can help.")
    page.click("input[name=_save]")
    page.wait_for_url(site + admin_url("resources_article_changelist"))
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    options = page.locator("select[name=action] option").all_inner_texts()
    assert "Publish selected" not in options  # an editor cannot publish
    page.select_option("select[name=action]", "submit_for_review")
    page.click("button[name=index]")
    assert "1 submitted for review" in page.locator(".messagelist").inner_text()

    # A moderator publishes it.
    page.context.clear_cookies()
    login(page, site, "moira", "pw-moira-123")
    page.screenshot(path=str(screenshot_dir() / "admin-dashboard.png"), full_page=True)
    page.goto(site + admin_url("resources_article_changelist") + "?status__exact=review")
    page.locator(f"input[name=_selected_action][value='{article.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "1 published" in page.locator(".messagelist").inner_text()

    # The history compares the page before and after the editor's change.
    versions = list(Version.objects.get_for_object(article))  # newest first
    before, edited = versions[-1], versions[-2]
    page.goto(site + admin_url("resources_article_history", article.pk))
    page.select_option("#diff-a", str(before.pk))
    page.select_option("#diff-b", str(edited.pk))
    page.click("input[value='Show the differences']")
    assert page.locator("ins", has_text="Talking to other mothers").count() == 1
    page.screenshot(path=str(screenshot_dir() / "revision-diff.png"), full_page=True)
    desk.close()

    # Readers see the change on the page and in search at once.
    reader = browser.new_page()
    reader.goto(f"{site}/articles/coping-with-d-mer/")
    assert "Talking to other mothers" in reader.content()
    reader.goto(f"{site}/search/?q=talking+mothers&exact=0")
    assert "Coping with D-MER day to day" in reader.locator("ol.results").inner_text()
    reader.close()


def test_topic_field_suggests_existing_topics_as_the_moderator_types(site, browser):
    from django.contrib.auth.models import User
    from taggit.models import Tag

    from resources.models import Article

    User.objects.create_superuser("moira", "m@example.org", "pw-moira-123")
    article = Article.objects.get(slug="coping-with-d-mer")
    before = Tag.objects.count()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, site, "moira", "pw-moira-123")
    page.goto(site + admin_url("resources_article_change", article.pk))
    field = page.locator("#id_topics")
    field.fill("")
    field.press_sequentially("pUMP", delay=30)
    options = page.locator("#id_topics-suggestions [role=option]")
    options.first.wait_for()
    assert options.all_inner_texts() == ["Pumping"]
    assert field.get_attribute("aria-expanded") == "true"
    field.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(screenshot_dir() / "topic-suggestions.png"))
    field.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    field.press("Enter")  # picks the topic; does not submit the form
    assert field.input_value() == "Pumping, "
    assert page.url.endswith(admin_url("resources_article_change", article.pk))

    field.press_sequentially("low-d", delay=30)
    options.first.wait_for()
    options.first.click()
    assert field.input_value() == "Pumping, Low-dose naltrexone (LDN), "
    field.press_sequentially("Night waking", delay=30)
    page.wait_for_timeout(400)
    assert page.locator("#id_topics-suggestions").is_hidden()  # nothing like it yet
    page.click("input[name=_save]")
    page.wait_for_url(site + admin_url("resources_article_changelist"))
    assert sorted(article.topics.names()) == [
        "Low-dose naltrexone (LDN)",
        "Night waking",
        "Pumping",
    ]
    assert Tag.objects.count() == before + 1  # only the genuinely new topic was created

    # The same suggestions when adding a topic to several pages at once.
    for title in ["What is D-MER?", "How common is D-MER?"]:
        row = page.locator("#result_list tbody tr", has_text=title).first
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", "add_topics")
    page.click("button[name=index]")
    bulk = page.locator("#id_topics")
    bulk.press_sequentially("night w", delay=30)
    options.first.wait_for()
    assert options.all_inner_texts() == ["Night waking"]
    bulk.press("ArrowDown")
    bulk.press("Enter")
    page.click("input[value=Add]")
    assert "Added Night waking to 2 page(s)." in page.locator(".messagelist").inner_text()
    assert Tag.objects.get(name="Night waking").taggit_taggeditem_items.count() == 3
    page.close()


def test_moderator_merges_and_archives_and_old_links_still_lead_somewhere(site, browser):
    from django.contrib.auth.models import User

    User.objects.create_superuser("moira", "m@example.org", "pw-moira-123")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, site, "moira", "pw-moira-123")

    # Merge: two articles selected, the survivor chosen on the confirmation page.
    page.goto(site + admin_url("resources_article_changelist"))
    for title in ["How common is D-MER?", "What is D-MER?"]:
        row = page.locator("#result_list tbody tr", has_text=title).first
        row.locator("input.action-select").check()
    page.select_option("select[name=action]", "merge")
    page.click("button[name=index]")
    assert "Text is not combined" in page.content()
    page.screenshot(path=str(screenshot_dir() / "merge-confirm.png"))
    page.locator("label", has_text="What is D-MER?").locator("input").check()
    page.click("input[value=Merge]")
    assert "into “What is D-MER?”" in page.locator(".messagelist").inner_text()

    # Archive with a replacement picked in the autocomplete of "Replaced by".
    page.goto(site + admin_url("resources_article_changelist") + "?q=Postcoital")
    page.locator("#result_list tbody th a").first.click()
    page.locator(".field-replaced_by .select2-selection").click()
    page.locator(".select2-search__field").fill("What is")
    page.locator(".select2-results__option", has_text="What is D-MER?").first.click()
    page.click("input[name=_save]")
    page.goto(site + admin_url("resources_article_changelist") + "?q=Postcoital")
    page.locator("#result_list tbody tr input.action-select").first.check()
    page.select_option("select[name=action]", "archive")
    page.click("button[name=index]")
    assert "1 archived" in page.locator(".messagelist").inner_text()
    page.close()

    reader = browser.new_page(viewport={"width": 390, "height": 844})
    reader.goto(site + "/articles/how-common-is-d-mer/")
    assert reader.url == site + "/articles/what-is-d-mer/"
    reader.goto(site + "/articles/postcoital-dysphoria/")
    notice = reader.locator(".archived-notice")
    assert "This page has been archived" in notice.inner_text()
    reader.screenshot(path=str(screenshot_dir() / "archived-page-phone.png"))
    notice.get_by_role("link", name="What is D-MER?").click()
    reader.wait_for_url(site + "/articles/what-is-d-mer/")
    reader.goto(site + "/articles/")
    assert "Postcoital dysphoria" not in reader.locator("main").inner_text()
    reader.close()
