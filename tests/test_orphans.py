"""Outputs whose input is gone (status, prune --orphans): which articles, and every file of each."""

from __future__ import annotations

from pathlib import Path

from pipeline.outputs.orphans import article_outputs, find_orphans


def _outputs(root: Path, article: str, locales: tuple[str, ...] = ("uk", "tr")) -> list[Path]:
    files = [root / "templates" / f"{article}.pot"]
    for locale in locales:
        files += [root / locale / "LC_MESSAGES" / f"{article}.{s}" for s in ("mo", "po")]
        files.append(root / locale / f"{article}.md")
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return files


def test_orphans_are_the_articles_no_visible_input_names_with_all_their_files(tmp_path: Path) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "locales"
    for name in ("kept.txt", "sub/nested.md", ".hidden/gone-hidden.txt", ".dotfile-gone.txt"):
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_text("text", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.txt").write_text("text", encoding="utf-8")
    (inputs / "link").symlink_to(elsewhere, target_is_directory=True)  # not walked, as rglob
    files = {a: _outputs(outputs, a) for a in ("kept", "nested", "gone-hidden", "linked", "deleted")}
    (outputs / "uk" / "notes.bak").write_text("", encoding="utf-8")  # not an output of ours
    dangling = outputs / "tr" / "LC_MESSAGES" / "dangling.po"
    dangling.symlink_to(tmp_path / "nowhere.po")  # a catalog's name is ours, whatever it points at
    files["dangling"] = [dangling]

    orphans = find_orphans(outputs, inputs)

    assert [o.article for o in orphans] == ["dangling", "deleted", "gone-hidden", "linked"]
    for orphan in orphans:
        assert orphan.files == sorted(files[orphan.article], key=_reading_order)
        locales = ("tr",) if orphan.article == "dangling" else ("tr", "uk")
        assert orphan.catalogs == {
            locale: outputs / locale / "LC_MESSAGES" / f"{orphan.article}.po" for locale in locales
        }
    assert sorted(article_outputs(outputs)) == sorted(files)
    assert find_orphans(outputs, tmp_path / "missing") != []  # no inputs: every article is one


def _reading_order(path: Path) -> tuple[int, str, int, str]:
    """templates first, then per locale (by name) its catalogs, then its articles."""
    if path.parent.name == "templates":
        return (0, "", 0, path.name)
    if path.parent.name == "LC_MESSAGES":
        return (1, path.parent.parent.name, 0, path.name)
    return (1, path.parent.name, 1, path.name)
