import pytest
from hypothesis import given
from hypothesis import strategies as st

from layan.regions import selectors
from layan.regions.models import Region


def codes(queryset):
    return [region.code for region in queryset]


@pytest.mark.django_db
def test_prefix_query_does_not_confuse_72_01_01_with_72_01_10(tree):
    assert codes(selectors.regions_under("72.01.01")) == ["72.01.01", "72.01.01.1002", "72.01.01.2001"]
    assert codes(selectors.regions_under("72.01.1")) == []  # not a code: matches nothing, not 72.01.10
    assert codes(selectors.regions_under("72.01.10")) == ["72.01.10", "72.01.10.2001"]
    assert codes(selectors.search_regions(prefix="72.01.01", level=4)) == ["72.01.01.1002", "72.01.01.2001"]
    assert "72.71" not in codes(selectors.regions_under("72.7"))


@pytest.mark.django_db
def test_search_by_name_words_or_by_the_start_of_a_code(tree):
    assert codes(selectors.search_regions("toili")) == ["72.01.01", "72.01.01.1002"]
    assert codes(selectors.search_regions("sentral TOILI")) == ["72.01.01.1002"]
    assert codes(selectors.search_regions("72.01.1")) == ["72.01.10", "72.01.10.2001"]
    assert codes(selectors.search_regions("", level=2)) == ["72.01", "72.71"]
    assert codes(selectors.search_regions("", parent="72.01")) == ["72.01.01", "72.01.10"]


@pytest.mark.django_db
def test_ancestors_children_and_counts(tree):
    assert codes(selectors.ancestors("72.01.01.2001")) == ["72", "72.01", "72.01.01"]
    assert selectors.ancestors("72") == []
    assert codes(selectors.children("72.01")) == ["72.01.01", "72.01.10"]
    assert selectors.descendant_counts("72.01") == {3: 2, 4: 3}
    assert selectors.region_names(["72.01", "72.71.01", "", "99"]) == {
        "72.01": "Kabupaten Banggai",
        "72.71.01": "Palu Barat",
    }


@pytest.mark.django_db
def test_get_region_answers_none_for_unknown_or_malformed_codes(tree):
    assert selectors.get_region("72.01").name == "Kabupaten Banggai"
    assert selectors.get_region("72.02") is None
    assert selectors.get_region("'; drop table--") is None


@pytest.mark.django_db
def test_rates_per_100k_use_the_region_own_population_only(tree):
    assert selectors.region_population("72.01") == 377804
    assert selectors.rate_per_100k(75, "72.01") == pytest.approx(19.85, abs=0.01)
    # No population for the kecamatan: no rate, never the kabupaten's figure.
    assert selectors.region_population("72.01.01") is None
    assert selectors.rate_per_100k(3, "72.01.01") is None
    assert selectors.per_100k(1, 0) is None


@given(st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=3), st.integers(1000, 2999))
def test_ancestor_codes_are_the_proper_prefixes_top_first(parts, village):
    code = ".".join(
        [f"{parts[0]:02d}", *[f"{p:02d}" for p in parts[1:]]] + ([str(village)] if len(parts) == 3 else [])
    )

    ancestors = selectors.ancestor_codes(code)

    assert len(ancestors) == code.count(".")
    assert all(code.startswith(a + ".") for a in ancestors)
    assert ancestors == sorted(ancestors, key=len)


def test_kind_label_follows_the_code():
    assert Region(code="72.71", level=2).kind_label == "Kota"
    assert Region(code="72.69", level=2).kind_label == "Kabupaten"
    assert Region(code="72.01.01.1001", level=4).kind_label == "Kelurahan"
    assert Region(code="72.01.01.2001", level=4).kind_label == "Desa"
    assert Region(code="72.01.01", level=3).kind_label == "Kecamatan"
