"""The requirements map (docs/requirements.md) matches what the code and tests cite.

Requirement ids (``R-K2``; ranges ``R-K1–R-K8``; ``_r_k2`` in test names) trace behaviour
back to the service standards. This module guards that trace and fails when:

- code or tests cite an id that docs/requirements.md has no entry for;
- the document lists an id that no test cites, and the entry is not marked ``not yet``;
- an entry is marked ``not yet`` although a test cites it (the document must stay honest);

and, to keep the entries usable, when an entry is duplicated, a group skips a number, or an
entry names a path that is missing or a test file that does not cite that entry's id.

The helpers are pure functions over text so that the synthetic tests at the end can prove
that each failure is detected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "requirements.md"
THIS_FILE = Path(__file__).resolve()
CODE_DIRS = ("appliance", "yizhan", "hw", "hwservice", "sync", "tui")
GROUPS = "QCSKDEPTAMIN"

Refs = dict[str, set[str]]
"""Requirement id → repository-relative paths of the files that cite it."""

_A = "A-Za-z0-9"
# ``R-K2``; any capital letter, so that a typo such as ``R-X1`` is reported as unknown.
_ID = re.compile(rf"(?<![{_A}])R-([A-Z])(\d+)(?![{_A}])")
# ``R-K1–R-K8``, ``R-K1-R-K8``, ``R-K1—K8``, ``R-K1..R-K8``: every id from first to last.
_RANGE = re.compile(
    rf"(?<![{_A}])R-([A-Z])(\d+)\s*(?:[\u2013\u2014-]|\.\.)\s*(?:R-)?([A-Z])(\d+)(?![{_A}])"
)
# ``test_x_r_k2``, ``r_q1_r_q3``: delimited by ``_`` or a non-identifier character, real groups.
_LOWER = re.compile(rf"(?<![{_A}])r_([{GROUPS.lower()}])_?(\d+)(?![{_A}])")
# An entry starts a line: ``| R-K2 |``, ``- **R-K2** …``, ``### R-K2 …`` or ``R-K2 …``.
_ENTRY = re.compile(r"^\s*(?:[-*+]\s+|\|\s*|#{1,6}\s+)?[*_`]*(R-[A-Z]\d+)(?![A-Za-z0-9])")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_NOT_YET = re.compile(r"\bnot yet\b", re.IGNORECASE)
_PATH = re.compile(
    r"`((?:appliance|yizhan|hw|hwservice|sync|tui|tests|systemd|image-build)/[^`\s]*)`"
)


def rid(letter: str, number: str | int) -> str:
    """The canonical form of an id: ``R-`` + group letter + number without leading zeros."""
    return f"R-{letter.upper()}{int(number)}"


def sort_key(requirement: str) -> tuple[int, str, int]:
    """Order ids as the document does: by group (Q C S K …), then by number."""
    letter, number = requirement[2], int(requirement[3:])
    return (GROUPS.index(letter) if letter in GROUPS else len(GROUPS), letter, number)


def cited_ids(text: str) -> set[str]:
    """Every requirement id that ``text`` cites, in any form, with ranges expanded."""
    found = {rid(m[1], m[2]) for m in _ID.finditer(text)}
    for m in _RANGE.finditer(text):
        first, last = int(m[2]), int(m[4])
        if m[1] == m[3] and first <= last:
            found.update(rid(m[1], n) for n in range(first, last + 1))
    found.update(rid(m[1], m[2]) for m in _LOWER.finditer(text))
    return found


def collect(files: Mapping[str, str]) -> Refs:
    """Invert {path: text} into {id: paths citing it}."""
    refs: Refs = {}
    for path, text in files.items():
        for requirement in cited_ids(text):
            refs.setdefault(requirement, set()).add(path)
    return refs


def read_sources(paths: Iterable[Path]) -> dict[str, str]:
    """{repository-relative path: text} of the given files, leaving out this module."""
    return {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(paths)
        if p.resolve() != THIS_FILE
    }


@dataclass(frozen=True)
class Entry:
    """One requirement's entry in the document: its id, first line and whole text."""

    requirement: str
    line: int
    text: str

    @property
    def not_yet(self) -> bool:
        return bool(_NOT_YET.search(self.text))


def parse_entries(markdown: str) -> list[Entry]:
    """The entries of the document. An entry runs from the line starting with its id to the
    next entry or heading, so a ``not yet`` marker counts only on its own entry."""
    entries: list[Entry] = []
    current: tuple[str, int, list[str]] | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        m = _ENTRY.match(line)
        if m or _HEADING.match(line):
            if current is not None:
                entries.append(Entry(current[0], current[1], "\n".join(current[2])))
            current = (m[1], number, [line]) if m else None
        elif current is not None:
            current[2].append(line)
    if current is not None:
        entries.append(Entry(current[0], current[1], "\n".join(current[2])))
    return entries


def missing_from_document(entries: Iterable[Entry], refs: Mapping[str, set[str]]) -> Refs:
    """Ids cited somewhere that have no entry: {id: the files citing it}."""
    documented = {e.requirement for e in entries}
    return {r: set(paths) for r, paths in refs.items() if r not in documented}


def untested_entries(entries: Iterable[Entry], test_refs: Mapping[str, set[str]]) -> list[str]:
    """Ids that no test cites and whose entry does not say ``not yet``."""
    return [e.requirement for e in entries if not e.not_yet and e.requirement not in test_refs]


def stale_not_yet(entries: Iterable[Entry], test_refs: Mapping[str, set[str]]) -> Refs:
    """Ids marked ``not yet`` that a test does cite: {id: the tests citing it}."""
    return {
        e.requirement: set(test_refs[e.requirement])
        for e in entries
        if e.not_yet and e.requirement in test_refs
    }


def numbering_gaps(entries: Iterable[Entry]) -> list[str]:
    """Ids skipped inside a group, unknown groups and duplicate entries, as messages."""
    problems: list[str] = []
    by_group: dict[str, list[int]] = {}
    for e in entries:
        by_group.setdefault(e.requirement[2], []).append(int(e.requirement[3:]))
    for letter, numbers in sorted(by_group.items()):
        if letter not in GROUPS:
            problems.append(f"unknown group {letter!r} (groups are {' '.join(GROUPS)})")
        for n in sorted({n for n in numbers if numbers.count(n) > 1}):
            problems.append(f"{rid(letter, n)} has more than one entry")
        for n in sorted(set(range(1, max(numbers) + 1)) - set(numbers)):
            problems.append(f"{rid(letter, n)} is skipped")
    return problems


def path_problems(
    entries: Iterable[Entry], root: Path, test_refs: Mapping[str, set[str]]
) -> list[str]:
    """Paths named in an entry that do not exist, and listed test files that do not cite the
    entry's id (a test file moved or renamed leaves a stale entry behind)."""
    problems: list[str] = []
    for e in entries:
        citing = test_refs.get(e.requirement, set())
        for path in _PATH.findall(e.text):
            is_test = path.startswith("tests/") and path.endswith(".py")
            if not (root / path).exists():
                problems.append(f"{e.requirement} names {path}, which does not exist")
            elif is_test and path not in citing:
                problems.append(f"{e.requirement} lists {path}, which does not cite it")
    return problems


def describe(refs: Mapping[str, set[str]]) -> str:
    return "\n".join(f"  {r}: {', '.join(sorted(refs[r])[:5])}" for r in sorted(refs, key=sort_key))


# ---- the repository ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_entries(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def test_refs() -> Refs:
    return collect(read_sources((ROOT / "tests").glob("**/*.py")))


@pytest.fixture(scope="module")
def code_refs() -> Refs:
    return collect(read_sources(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py")))


def test_document_has_entries(entries: list[Entry]) -> None:
    """Guards the parser against a reformatted document that silently yields nothing."""
    assert len(entries) >= 40, f"only {len(entries)} entries parsed from {DOC}"


def test_every_cited_id_is_documented(
    entries: list[Entry], code_refs: Refs, test_refs: Refs
) -> None:
    in_code = missing_from_document(entries, code_refs)
    in_tests = missing_from_document(entries, test_refs)
    assert not in_code, f"docs/requirements.md lacks ids cited in code:\n{describe(in_code)}"
    assert not in_tests, f"docs/requirements.md lacks ids cited in tests:\n{describe(in_tests)}"


def test_every_entry_is_tested_or_marked_not_yet(entries: list[Entry], test_refs: Refs) -> None:
    untested = untested_entries(entries, test_refs)
    assert not untested, (
        f"no test cites these ids; cite them or mark the entry `not yet`: {untested}"
    )


def test_no_tested_entry_is_marked_not_yet(entries: list[Entry], test_refs: Refs) -> None:
    stale = stale_not_yet(entries, test_refs)
    assert not stale, f"marked `not yet` but cited by tests; update the entry:\n{describe(stale)}"


def test_groups_are_numbered_without_gaps(entries: list[Entry]) -> None:
    assert numbering_gaps(entries) == []


def test_listed_paths_exist_and_cite_their_id(entries: list[Entry], test_refs: Refs) -> None:
    assert path_problems(entries, ROOT, test_refs) == []


# ---- the helpers, on synthetic text ------------------------------------------------------

SAMPLE_DOC = """\
# Map

Intro citing `R-K2` mid-line is not an entry; nor is this sentence about not yet.

## K. Cases

| R-K1 | intake | `tests/a.py` | built |
| R-K2 | notices | — | not yet |

- **R-Q1** Tickets from the button.
  - Tests: `tests/b.py`
- **R-Q2** The printed ticket.
  - Status: Not yet
## Next
- **R-Q3** Calling.
"""


def test_cited_ids_reads_every_form() -> None:
    text = (
        '"""Case API (R-K2, R-S1–R-S3, R-T1-R-T2, R-M1—M2)."""\n'
        "def test_prints_two_copies_r_q1_r_q3(): ...\n"
        "def test_rate_r_e_2(): ...  # R-N4.\n"
    )
    assert cited_ids(text) == {
        "R-K2", "R-S1", "R-S2", "R-S3", "R-T1", "R-T2", "R-M1", "R-M2",
        "R-Q1", "R-Q3", "R-E2", "R-N4",
    }  # fmt: skip


def test_cited_ids_ignores_lookalikes() -> None:
    text = "header_b64 = 1\nbar_k2 = xr_k2 = r_z1 = r_k2x = 2\nSTAR-K1 R-K2x R-3 'r-k2'\n"
    assert cited_ids(text) == set()


def test_parse_entries_reads_tables_and_bullets() -> None:
    parsed = {e.requirement: e.not_yet for e in parse_entries(SAMPLE_DOC)}
    assert parsed == {"R-K1": False, "R-K2": True, "R-Q1": False, "R-Q2": True, "R-Q3": False}


def test_an_undocumented_citation_is_reported() -> None:
    refs = collect({"appliance/x.py": "# R-K1 and R-K7", "tests/t.py": "def test_a_r_p1(): ..."})
    missing = missing_from_document(parse_entries(SAMPLE_DOC), refs)
    assert missing == {"R-K7": {"appliance/x.py"}, "R-P1": {"tests/t.py"}}


def test_an_untested_entry_is_reported_unless_not_yet() -> None:
    refs = collect({"tests/a.py": "def test_x_r_k1_r_q1(): ..."})
    assert untested_entries(parse_entries(SAMPLE_DOC), refs) == ["R-Q3"]


def test_a_tested_not_yet_entry_is_reported() -> None:
    refs = collect({"tests/a.py": '"""Notices (R-K1–R-K2)."""', "tests/b.py": "# R-Q1, R-Q3"})
    assert stale_not_yet(parse_entries(SAMPLE_DOC), refs) == {"R-K2": {"tests/a.py"}}


def test_numbering_gaps_and_duplicates_are_reported() -> None:
    doc = "- **R-Q1** a\n- **R-Q3** b\n- **R-Q3** c\n- **R-X1** d\n"
    assert numbering_gaps(parse_entries(doc)) == [
        "R-Q3 has more than one entry",
        "R-Q2 is skipped",
        "unknown group 'X' (groups are Q C S K D E P T A M I N)",
    ]


def test_stale_paths_are_reported(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "a.py").write_text("# R-K2\n", encoding="utf-8")
    refs = collect({"tests/a.py": "# R-K2"})
    assert path_problems(parse_entries(SAMPLE_DOC), tmp_path, refs) == [
        "R-K1 lists tests/a.py, which does not cite it",
        "R-Q1 names tests/b.py, which does not exist",
    ]
