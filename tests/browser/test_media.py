"""Screenshots in steps as a contractor sees them: loaded from the site itself (no other
host), never wider than the column, still there when the page is printed."""

from __future__ import annotations

from .conftest import Tab

SHOTS = "article img.pb-shot"


def _shots(tab: Tab) -> list[dict[str, float]]:
    return tab.page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(img => {
            const column = img.closest('article').getBoundingClientRect().width;
            return {complete: img.complete ? 1 : 0, natural: img.naturalWidth,
                    width: img.getBoundingClientRect().width, column};
        })""", SHOTS)


def _wait_loaded(tab: Tab) -> None:
    """Scroll to each picture, as a reader does, and wait until the lazy one has loaded."""
    shots = tab.page.locator(SHOTS)
    for n in range(shots.count()):
        shots.nth(n).scroll_into_view_if_needed()
        tab.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                   arg=shots.nth(n).element_handle())


def test_step_screenshots_load_from_the_site_and_fit_the_column(desktop: Tab) -> None:
    page = desktop.open("roles/hiring/")
    shots = _shots(desktop)
    assert len(shots) == 3
    _wait_loaded(desktop)
    for shot in _shots(desktop):
        assert shot["natural"] > 0 and 0 < shot["width"] <= shot["column"] + 0.5, shot
    assert page.locator(f"{SHOTS}[loading=lazy]").count() == 3
    video = page.get_by_role("link", name="Watch a video of this step")
    assert video.get_attribute("href") == "https://www.youtube.com/@Upwork"
    desktop.watch.assert_clean()  # the video is a link: nothing was fetched from its host


def test_step_screenshots_fit_a_phone(phone: Tab) -> None:
    phone.open("roles/hiring/")
    _wait_loaded(phone)
    for shot in _shots(phone):
        assert 0 < shot["width"] <= shot["column"] + 0.5, shot
    phone.watch.assert_clean()


def test_step_screenshots_are_printed(desktop: Tab) -> None:
    page = desktop.open("roles/hiring/")
    _wait_loaded(desktop)
    page.emulate_media(media="print")
    for shot in _shots(desktop):
        assert shot["width"] > 100, "shown on paper, at a readable size"
        assert shot["width"] <= shot["column"] + 0.5
