"""TMX 1.4 (the exchange format CAT tools read): one <tu> per memory unit.

Inline markup in a <seg> (<ph>, <bpt>...) is read as its text; locpipe's own segments are
plain text, so it writes none. A unit's msgctxt is `<prop type="x-context">`, as Translate
Toolkit's po2tmx writes it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from pipeline import __version__
from pipeline.core.atomic import write_bytes
from pipeline.core.errors import LocpipeError
from pipeline.memory.store import MemoryUnit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTEXT = "x-context"
WITHDRAWN = "x-locpipe-withdrawn"


def tmx_lang(code: str) -> str:
    """gettext pt_BR → RFC 4646 pt-BR."""
    return code.replace("_", "-")


def same_language(tmx_code: str, locale: str) -> bool:
    a, b = tmx_code.lower().replace("_", "-"), locale.lower().replace("_", "-")
    return a == b or a.split("-")[0] == b or b.split("-")[0] == a


def write_tmx(path: Path, locale: str, units: list[MemoryUnit]) -> None:
    langs = sorted({u.source_lang for u in units})
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "locpipe",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "locpipe",
            "adminlang": "en",
            "srclang": tmx_lang(langs[0]) if len(langs) == 1 else "*all*",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        tu = ET.SubElement(body, "tu", srclang=tmx_lang(unit.source_lang))
        # the DTD wants <prop> before <tuv>
        if unit.context is not None:
            ET.SubElement(tu, "prop", type=CONTEXT).text = unit.context
        ET.SubElement(tu, "prop", type="x-locpipe-origin").text = unit.origin
        for kind, value in (("catalog", unit.catalog), ("translator", unit.translator), ("date", unit.date)):
            if value:  # where the review was done, by whom, when
                ET.SubElement(tu, "prop", type=f"x-locpipe-{kind}").text = value
        if unit.withdrawn:  # a reviewer took it back: shown, and withdrawn again on import
            ET.SubElement(tu, "prop", type=WITHDRAWN).text = unit.why or "withdrawn"
        for lang, text in ((unit.source_lang, unit.source), (locale, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: tmx_lang(lang)})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    data = ET.tostring(root, encoding="unicode", xml_declaration=False)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    write_bytes(path, (head + data + "\n").encode("utf-8"))


def read_tmx(path: Path, locale: str) -> list[MemoryUnit]:
    """Units whose target is the locale; the source is the unit's srclang (or the header's)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise LocpipeError(path, f"not a TMX file: {exc}; export it again as TMX 1.4") from None
    if root.tag != "tmx":
        raise LocpipeError(path, "not a TMX file (no <tmx> root); export it again as TMX 1.4")
    header = root.find("header")
    default_src = header.get("srclang", "*all*") if header is not None else "*all*"
    units = []
    for tu in root.iter("tu"):
        segs = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if lang and seg is not None:
                segs.append((lang, "".join(seg.itertext())))
        target = next((text for lang, text in segs if same_language(lang, locale)), None)
        src_code = tu.get("srclang", default_src)
        sources = [(lang, text) for lang, text in segs if not same_language(lang, locale)]
        if src_code != "*all*":
            sources = [(lang, text) for lang, text in sources if same_language(lang, src_code)]
        if target and sources and sources[0][1]:
            lang = sources[0][0].lower().replace("_", "-").split("-")[0]
            props = {p.get("type"): p.text or "" for p in tu.findall("prop")}
            why = props.get(WITHDRAWN)
            units.append(
                MemoryUnit(
                    lang, sources[0][1], target, f"tmx:{path.name}", props.get(CONTEXT),
                    props.get("x-locpipe-catalog"), props.get("x-locpipe-translator"),
                    props.get("x-locpipe-date"), withdrawn=why is not None, why=why,
                )  # fmt: skip
            )
    return units
