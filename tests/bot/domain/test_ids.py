import pytest

from bot.domain.ids import LARGEST_ID, record_id


@pytest.mark.parametrize("text", ["1", "42", str(LARGEST_ID)])
def test_an_id_a_row_can_have_is_read(text: str) -> None:
    assert record_id(text) == int(text)


@pytest.mark.parametrize(
    "text",
    [
        str(LARGEST_ID + 1),
        "999999999999",
        str(2**63),
        "0",
        "007",
        "-1",
        "+1",
        " 1",
        "1 ",
        "٣",
        "３",
        "",
        "1e3",
    ],
)
def test_anything_else_is_no_id(text: str) -> None:
    assert record_id(text) is None
