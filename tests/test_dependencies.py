"""The dependencies: floors above the known security fixes, and a lock file with hashes that installs them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "main.txt", ROOT / "requirements" / "dev.txt"]

# The first release of each package without the advisories named in pyproject.toml. A floor below it would
# let a resolver (or a production server installing without the lock) pick a vulnerable release.
FIXED_IN = {
    "starlette": "1.3.1",
    "python-multipart": "0.0.30",
    "jinja2": "3.1.6",
    "cryptography": "46.0.5",
    "h11": "0.16.0",
}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)")


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]  # type: ignore[no-any-return]


def _requirements(extra: str | None = None) -> list[Requirement]:
    project = _project()
    names = project["dependencies"] if extra is None else project["optional-dependencies"][extra]  # type: ignore[index]
    return [Requirement(line) for line in names]  # type: ignore[union-attr]


def _pins(lock: Path) -> dict[str, list[Version]]:
    pins: dict[str, list[Version]] = {}
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            pins.setdefault(match.group(1).lower(), []).append(Version(match.group(2)))
    return pins


@pytest.mark.parametrize(("package", "fixed"), sorted(FIXED_IN.items()))
def test_no_floor_admits_a_release_with_a_known_advisory(package: str, fixed: str) -> None:
    requirement = next(r for r in _requirements() if r.name.lower() == package)
    allowed = SpecifierSet(str(requirement.specifier))
    below_fix = (*Version(fixed).release[:-1], Version(fixed).release[-1] - 1)
    assert not allowed.contains(".".join(map(str, below_fix))), f"{package} admits a release before {fixed}"
    for lock in LOCKS:
        pins = _pins(lock)[package]
        assert all(pin >= Version(fixed) for pin in pins), f"{lock.name} pins an old {package}"


def test_extras_the_code_does_not_use_are_not_installed() -> None:
    telegram = next(r for r in _requirements() if r.name == "python-telegram-bot")
    # Our own Starlette route takes webhook pushes: PTB's tornado server is never used.
    assert "webhooks" not in telegram.extras
    for lock in LOCKS:
        assert "tornado" not in _pins(lock)


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_pinned_package_carries_its_hashes(lock: Path) -> None:
    text = lock.read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text)
    pinned = [block for block in blocks if PIN.match(block)]
    assert len(pinned) > 20
    for block in pinned:
        assert "--hash=sha256:" in block, block.splitlines()[0]


@pytest.mark.parametrize(("lock", "extra"), [(LOCKS[0], None), (LOCKS[1], "dev")], ids=["main", "dev"])
def test_the_lock_satisfies_pyproject(lock: Path, extra: str | None) -> None:
    """A dependency added to pyproject.toml without `make lock` fails here, not on a fresh machine."""
    pins = _pins(lock)
    wanted = _requirements() + (_requirements(extra) if extra else [])
    for requirement in wanted:
        versions = pins.get(requirement.name.lower())
        assert versions, f"{requirement.name} is not in {lock.name}: run `make lock`"
        assert any(requirement.specifier.contains(version) for version in versions), requirement
