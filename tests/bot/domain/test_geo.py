import pytest

from bot.domain.geo import PostcodeDirectory, haversine_km, read_postcode


@pytest.fixture(scope="module")
def postcodes() -> PostcodeDirectory:
    return PostcodeDirectory.bundled()


def test_the_bundled_list_has_every_danish_postcode(postcodes: PostcodeDirectory) -> None:
    assert len(postcodes) == 1154
    brabrand = postcodes.get("8220")
    assert brabrand is not None
    assert brabrand.place == "Brabrand"
    assert brabrand.municipality == "Aarhus Kommune"


@pytest.mark.parametrize(
    ("typed", "digits", "problem"),
    [
        ("8220", "8220", None),
        (" 8220 ", "8220", None),
        ("82 20", "8220", None),
        ("DK-8220 Brabrand", "8220", None),
        ("Vestergade 1234, 8220 Brabrand", "8220", None),
        ("٨٢٢٠", "8220", None),  # Arabic-Indic digits
        ("۲۲۰۰", "2200", None),  # Persian digits
        ("822", None, "wrong_length"),
        ("82200", None, "wrong_length"),
        ("Brabrand", None, "no_digits"),
        ("👍", None, "no_digits"),
        ("8" * 200, None, "too_long"),
    ],
)
def test_reading_a_typed_postcode(typed: str, digits: str | None, problem: str | None) -> None:
    answer = read_postcode(typed)
    assert (answer.digits, answer.problem) == (digits, problem)


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (56.1530, 10.1020, "8220"),  # Brabrand, Aarhus
        (55.6950, 12.5500, "2200"),  # Nørrebro, København N
        (55.3680, 10.4300, "5220"),  # Odense SØ (Vollsmose)
        (55.1000, 14.7000, "3700"),  # Rønne, Bornholm
    ],
)
def test_a_shared_location_maps_to_the_nearest_postcode(
    postcodes: PostcodeDirectory, latitude: float, longitude: float, expected: str
) -> None:
    nearest = postcodes.nearest(latitude, longitude)
    assert nearest is not None
    assert nearest.code == expected


def test_a_location_outside_denmark_has_no_postcode(postcodes: PostcodeDirectory) -> None:
    assert postcodes.nearest(52.52, 13.40) is None  # Berlin


def test_haversine_between_aarhus_and_copenhagen() -> None:
    assert haversine_km(56.1629, 10.2039, 55.6761, 12.5683) == pytest.approx(156, abs=3)
