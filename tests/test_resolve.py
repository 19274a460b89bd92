"""The resolver's order as a table of cases, without Luigi: where each message's text comes
from, and the state a message has by provenance (pipeline.catalogs.message, .resolve)."""

from __future__ import annotations

import polib
import pytest

from pipeline.catalogs.entries import Unit
from pipeline.catalogs.ledger import Ledger
from pipeline.catalogs.message import State, key_digest, ledger_of, message_digest, read_message, text_digest
from pipeline.catalogs.resolve import CatalogView, MachineText, Origin, resolve
from pipeline.catalogs.suggest import suggest
from pipeline.memory.match import Matcher
from pipeline.memory.store import MemoryUnit

S = "The ministers met in Ankara."
NOTE = "machine: argos en->uk 1.0 [decode abc]"
OLD_NOTE = "machine: argos en->uk 0.9 [decode abc]"


def entry(msgid: str = S, msgstr: str = "", *, fuzzy: bool = False, obsolete: bool = False, note: str = ""):
    return polib.POEntry(
        msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], obsolete=obsolete, comment=note
    )


def view(*entries: polib.POEntry, ledger: Ledger | None = None) -> CatalogView:
    return CatalogView([read_message(e, ledger) for e in entries])


def memory(*pairs: tuple[str, str], withdrawn: bool = False) -> Matcher:
    return Matcher([MemoryUnit("en", s, t, "other-article", withdrawn=withdrawn) for s, t in pairs], 75)


MT = MachineText("НОВИЙ МАШИННИЙ", NOTE)
REJECTED = Ledger(reviewed={key_digest((None, S)): text_digest("ВІДХИЛЕНО")})

# (case, catalog entries, ledger, memory, expected origin, expected text)
CASES = [
    ("translator's live entry", [entry(msgstr="ПЕРЕКЛАД")], None, memory((S, "ПАМ'ЯТЬ")),
     Origin.TRANSLATOR, "ПЕРЕКЛАД"),
    ("reverted edit: obsolete review revived", [entry(msgstr="ПЕРЕКЛАД", obsolete=True)], None,
     memory((S, "ПАМ'ЯТЬ")), Origin.CATALOG, "ПЕРЕКЛАД"),
    ("obsolete review beats kept machine text",
     [entry(msgstr="ПЕРЕКЛАД", obsolete=True)], None, memory(), Origin.CATALOG, "ПЕРЕКЛАД"),
    ("memory exact", [], None, memory((S, "ПАМ'ЯТЬ")), Origin.OFFER, "ПАМ'ЯТЬ"),
    ("withdrawn memory unit is not offered", [], None, memory((S, "ПАМ'ЯТЬ"), withdrawn=True),
     Origin.MACHINE, "НОВИЙ МАШИННИЙ"),
    ("changed sentence keeps its old review",
     [entry("The ministers met in Ankara today.", "СТАРИЙ", obsolete=True)], None, memory(),
     Origin.OFFER, "СТАРИЙ"),
    ("kept machine text of the same model",
     [entry(msgstr="СТАРИЙ МАШИННИЙ", fuzzy=True, note=NOTE)], None, memory(),
     Origin.KEPT_MACHINE, "СТАРИЙ МАШИННИЙ"),
    ("machine text of another model is replaced",
     [entry(msgstr="СТАРИЙ МАШИННИЙ", fuzzy=True, note=OLD_NOTE)], None, memory(),
     Origin.MACHINE, "НОВИЙ МАШИННИЙ"),
    ("obsolete machine text stripped of fuzzy is not a review",
     [entry(msgstr="СТАРИЙ МАШИННИЙ", obsolete=True)],
     Ledger(unreviewed={message_digest((None, S), "СТАРИЙ МАШИННИЙ"): "machine"}), memory(),
     Origin.MACHINE, "НОВИЙ МАШИННИЙ"),
    ("rejected review: memory copy not offered", [entry(msgstr="")], REJECTED,
     memory((S, "ВІДХИЛЕНО")), Origin.MACHINE, "НОВИЙ МАШИННИЙ"),
    ("rejected review: another memory text is offered", [entry(msgstr="")], REJECTED,
     memory((S, "ІНШИЙ")), Origin.OFFER, "ІНШИЙ"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "entries", "ledger", "mem", "origin", "text"), CASES, ids=[c[0] for c in CASES]
)
def test_resolver_order(case, entries, ledger, mem, origin, text) -> None:
    unit = Unit(S, None)
    catalog = view(*entries, ledger=ledger)
    planned = suggest([unit], catalog, "article", "en", mem, frozenset({NOTE}))
    got = resolve(unit, catalog, lambda u: planned.offers.get(u.msgid), frozenset({NOTE}), MT)
    assert got.origin is origin, case
    chosen = {
        Origin.TRANSLATOR: lambda: got.message.text,
        Origin.CATALOG: lambda: got.message.text,
        Origin.OFFER: lambda: got.offer.text,
        Origin.KEPT_MACHINE: lambda: got.machine.text,
        Origin.MACHINE: lambda: got.machine.text,
    }[got.origin]()
    assert chosen == text, case
    # before MT the same order decides what a model is asked for
    assert (S in planned.needs_mt) == (origin is Origin.MACHINE), case


def test_state_by_provenance() -> None:
    stripped = entry(msgstr="СТАРИЙ МАШИННИЙ", obsolete=True)
    ledger = Ledger(unreviewed={message_digest((None, S), "СТАРИЙ МАШИННИЙ"): "machine"})
    assert read_message(stripped, ledger).state is State.MACHINE
    assert read_message(stripped).state is State.REVIEWED  # no ledger: flags and notes only
    noted = entry(msgstr="СТАРИЙ МАШИННИЙ", obsolete=True, note=NOTE)
    assert read_message(noted).state is State.MACHINE  # the machine note it still carries
    approved = entry(msgstr="СТАРИЙ МАШИННИЙ")  # fuzzy cleared on a live entry: a review
    assert read_message(approved, ledger).state is State.REVIEWED
    forms = {0: "файл", 1: "файли", 2: "файлів"}
    plural = polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural=forms)
    message = read_message(plural)
    assert message.state is State.REVIEWED and message.forms == ("файл", "файли", "файлів")
    half = polib.POEntry(msgid="one file", msgid_plural="%d files", msgstr_plural={0: "файл", 1: "", 2: ""})
    assert read_message(half).state is State.UNTRANSLATED


def test_ledger_knows_rejection() -> None:
    reviewed = [read_message(entry(msgstr="ПЕРЕКЛАД"))]
    ledger = ledger_of(reviewed)
    cleared = read_message(entry(msgstr=""), ledger)
    assert cleared.rejected == text_digest("ПЕРЕКЛАД")
    assert read_message(entry(msgstr=""), None).rejected is None  # never reviewed here: not a rejection
