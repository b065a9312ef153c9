from alongside.library.rendering import plain_text, render_markdown


def test_h2_headings_get_ids_and_make_the_page_list():
    rendered = render_markdown("## First part\n\nText.\n\n### Detail\n\n## Q&A time\n")
    assert [(h.id, h.text) for h in rendered.headings] == [
        ("first-part", "First part"),
        ("qa-time", "Q&A time"),
    ]
    assert '<h2 id="first-part">' in rendered.html


def test_reference_markers_link_to_the_reference_list():
    html = render_markdown("As shown [2], not [3].", reference_count=2).html
    assert '<a aria-label="Reference 2" class="ref-link" href="#ref-2">[2]</a>' in html
    assert "not [3]." in html


def test_an_escaped_marker_is_plain_text():
    rendered = render_markdown("Write \\[1] for a literal one.", reference_count=1)
    assert "Write [1] for" in rendered.html and not rendered.markers


def test_a_link_whose_text_is_a_number_stays_a_link():
    html = render_markdown("See [1](https://example.org).", reference_count=1).html
    assert 'href="https://example.org"' in html and "#ref-1" not in html


def test_raw_html_is_shown_as_text():
    html = render_markdown('<script>alert("x")</script>\n\nHi <b onclick="x()">there</b>').html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b" not in html


def test_links_that_could_run_code_lose_their_target():
    for url in ["javascript:alert(1)", "JaVaScRiPt&#58;alert(1)", "java&#x09;script:x", "data:x"]:
        html = render_markdown(f"[click]({url})").html
        assert "<a>click</a>" in html, url


def test_external_links_get_noopener_and_internal_ones_do_not():
    html = render_markdown("[out](https://example.org) and [in](/find/?type=warm_line)").html
    assert '<a href="https://example.org" rel="noopener">out</a>' in html
    assert '<a href="/find/?type=warm_line">in</a>' in html


def test_images_from_other_sites_are_not_loaded():
    html = render_markdown("![a tracker](https://example.org/pixel.png)").html
    assert "<img" not in html and "a tracker" in html


def test_plain_text_drops_markup_and_markers():
    assert plain_text("## Title\n\nSome **bold** words [1].") == "Title\nSome bold words."


def test_reading_time_is_about_200_words_a_minute():
    assert render_markdown("word " * 200).reading_minutes == 1
    assert render_markdown("word " * 201).reading_minutes == 2
    assert render_markdown("").reading_minutes == 1
