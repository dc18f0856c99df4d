"""Subset the site's webfonts from the npm @fontsource packages into templates/static/fonts/ as woff2.

Run after `npm ci` whenever the font packages or the character sets below change:

    python scripts/make_fonts.py

The generated woff2 files and the OFL licence are committed, so a build needs neither npm nor fonttools.
Each face keeps its variable weight axis (400-700), so one file serves body text and headings.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "node_modules" / "@fontsource-variable"
TARGET = ROOT / "templates" / "static" / "fonts"
log = logging.getLogger("waraqa.fonts")


@dataclass(frozen=True)
class Face:
    """One woff2 file to make: where it comes from and which characters it keeps."""

    output: str
    package: str
    source: str
    unicodes: str
    # OpenType features to keep: all of them for Arabic (joining, marks, ligatures live in GSUB/GPOS).
    features: tuple[str, ...] = ("*",)


# Arabic as written in Arabic (plus the Persian/Urdu letters names borrow), Arabic punctuation and digits;
# the Unicode controls bidi isolation needs; and the ornate parentheses. No Syriac, no Arabic Extended blocks.
ARABIC = (
    "U+0020,U+00A0,U+060C,U+061B-061F,U+0621-065F,U+0660-066D,U+0670-0671,U+067E,U+0686,U+0698,"
    "U+06A4,U+06A9,U+06AF,U+06CC,U+06D4,U+200C-200F,U+2066-2069,U+FD3E-FD3F"
)
# Digits and punctuation in the Naskh design: every sheet has numbers, few have Latin words.
NASKH_LATIN = "U+0020-0040,U+005B-0060,U+007B-007E,U+00A0-00BF,U+00D7,U+00F7,U+2010-2027,U+2030-203A,U+20AC"
# The Latin companion: Noto Serif, the design Noto Naskh Arabic was drawn beside, for names in Latin letters;
# with its own digits and punctuation, which Latin phrases (`iPhone 16 Pro`) use so that they match its letters.
SERIF_LATIN = "U+0030-0039,U+0041-005A,U+0061-007A,U+00C0-00D6,U+00D8-00F6,U+00F8-00FF,U+0152-0153"
# Latin text needs kerning, ligatures and accent placement; old-style, small-cap and fraction digits would
# only make the file bigger.
LATIN_FEATURES = ("kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk")
SERIF_LATIN_EXT = "U+0100-0151,U+0154-017F,U+0218-021B"

FACES = (
    Face("naskh-arabic.woff2", "noto-naskh-arabic", "noto-naskh-arabic-arabic-wght-normal.woff2", ARABIC),
    Face("naskh-digits.woff2", "noto-naskh-arabic", "noto-naskh-arabic-latin-wght-normal.woff2", NASKH_LATIN),
    Face("serif-latin.woff2", "noto-serif", "noto-serif-latin-wght-normal.woff2", SERIF_LATIN, LATIN_FEATURES),
    Face("serif-latin-ext.woff2", "noto-serif", "noto-serif-latin-ext-wght-normal.woff2", SERIF_LATIN_EXT, LATIN_FEATURES),
)


def make_face(face: Face, target: Path) -> int:
    """Write one subset woff2 into `target`; return its size in bytes."""
    source = PACKAGES / face.package / "files" / face.source
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = list(face.features)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Keep the source's timestamp so regenerating unchanged fonts gives byte-identical files.
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(face.unicodes))
    subsetter.subset(font)
    output = target / face.output
    font.flavor = "woff2"
    font.save(output)
    return output.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Make every face and copy the OFL licence beside them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=TARGET, help="the folder to write the woff2 files into")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # fontTools logs every glyph it keeps at INFO; only its warnings matter here.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    missing = sorted({face.package for face in FACES if not (PACKAGES / face.package).is_dir()})
    if missing:
        log.error("missing npm packages: %s; run `npm ci` first", ", ".join(missing))
        return 1
    args.target.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        log.info("%-22s %6d bytes", face.output, make_face(face, args.target))
    # Both families are OFL 1.1 from the Noto project; the licence must travel with the fonts.
    shutil.copyfile(PACKAGES / "noto-naskh-arabic" / "LICENSE", args.target / "OFL-NotoNaskhArabic.txt")
    shutil.copyfile(PACKAGES / "noto-serif" / "LICENSE", args.target / "OFL-NotoSerif.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
