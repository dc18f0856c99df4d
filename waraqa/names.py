"""Arabic names as keys: one spelling-independent key per name, ASCII slugs, and Arabic alphabetical order."""

from __future__ import annotations

import functools
import re
import unicodedata

# Tashkeel (harakat, tanween, shadda, sukun, superscript alef) and tatweel carry no identity.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_FORMS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_SPACES = re.compile(r"\s+")

_TRANSLITERATION = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y", "ء": "", "گ": "g",
    "پ": "p", "چ": "ch", "ڤ": "v", "ی": "y", "ک": "k",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
}


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Return the key under which spellings of one name meet: no tashkeel or tatweel, one alef, ي for ى, ه for ة."""
    text = unicodedata.normalize("NFKC", name)
    text = _MARKS.sub("", text).translate(_LETTER_FORMS)
    return _SPACES.sub(" ", text).strip().casefold()


@functools.lru_cache(maxsize=1 << 16)
def sort_key(name: str) -> tuple[str, str]:
    """Return the key that puts names in Arabic alphabetical order, a leading «ال» ignored."""
    key = name_key(name)
    words = [word[2:] if word.startswith("ال") and len(word) > 3 else word for word in key.split(" ")]
    # Unicode orders the Arabic letters as the alphabet does (ا ب ت ... ه و ي) once hamza forms are folded.
    return " ".join(words), key


# Inside a word و and ي are mostly long vowels; at its start they are consonants.
_MEDIAL_VOWELS = {"و": "u", "ي": "i", "ه": "a"}


def _transliterate_word(word: str) -> str:
    """Return one Arabic word in ASCII letters: a readable approximation, not a scholarly one."""
    if word.startswith("ال") and len(word) > 3:
        return "al-" + _transliterate_word(word[2:])
    letters = []
    for index, char in enumerate(word):
        if index > 0 and char in _MEDIAL_VOWELS and (char != "ه" or index == len(word) - 1):
            letters.append(_MEDIAL_VOWELS[char])
        else:
            letters.append(_TRANSLITERATION.get(char, char))
    return "".join(letters)


# «الله» is one word as newsrooms spell it, never «al-lh»: عبد الله is Abdullah (King Abdullah, Abdullah bin
# Zayed), and «الله» after another word is Allah (سيف الله: sif-allah).
_GOD = "الله"
_SERVANT = "عبد"


def _transliterate_words(words: list[str]) -> list[str]:
    """Return the words of a name in ASCII letters, «عبد الله» and «عبدالله» as abdullah, «الله» as allah."""
    result: list[str] = []
    for index, word in enumerate(words):
        if word == _SERVANT and words[index + 1 : index + 2] == [_GOD]:
            continue
        if word == _GOD:
            result.append("abdullah" if index and words[index - 1] == _SERVANT else "allah")
        elif word == _SERVANT + _GOD:
            result.append("abdullah")
        else:
            result.append(_transliterate_word(word))
    return result


def transliterate(name: str) -> str:
    """Return an ASCII slug for `name`: Arabic letters transliterated, Latin letters kept, the rest hyphens."""
    key = name_key(name)
    ascii_text = " ".join(_transliterate_words(key.split(" ")))
    ascii_text = unicodedata.normalize("NFKD", ascii_text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"
