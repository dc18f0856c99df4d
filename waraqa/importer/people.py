"""People an article names with a role («وزير الخارجية سيرغي لافروف»), grouped by side into delegations."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .knowledge import Knowledge, KnownPerson
from .sides import nationality
from .text import Line
from .words import key

_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|[^\w\s]")
_MARKS = re.compile(r"^[\u0610-\u061a\u064b-\u065f\u0670\u0640]+")
# Words that open a role; a name follows the role's definite words: «الرئيس الروسي فلاديمير بوتين».
_HEADS = frozenset(
    key(word)
    for word in (
        "الرئيس", "رئيس", "رئيسة", "الرئيسة", "وزير", "وزيرة", "الوزير", "الوزيرة", "مستشار", "مستشارة",
        "المستشار", "المستشارة", "المبعوث", "مبعوث", "المبعوثة", "السفير", "سفير", "السفيرة", "المتحدث",
        "المتحدثة", "الناطق", "الناطقة", "الأمين", "نائب", "نائبة", "ولي", "الملك", "الملكة", "الأمير",
        "الأميرة", "قائد", "القائد", "المدير", "مدير", "مديرة", "المديرة", "المندوب", "مندوب", "المندوبة",
        "ممثل", "الممثل", "الممثلة", "السكرتير", "حاكم", "الحاكم", "عمدة", "نظيره", "نظيرته", "نظيرها",
    )
)
_HONORIFICS = frozenset(
    key(word) for word in ("الأمير", "الأميرة", "الشيخ", "الشيخة", "السيد", "السيدة", "الدكتور", "الدكتورة")
)
_COUNTERPARTS = frozenset(key(word) for word in ("نظيره", "نظيرته", "نظيرها"))
_ROLE_LINKS = frozenset(key(word) for word in ("باسم", "لشؤون", "لشئون"))
_PARTICLES = frozenset(key(word) for word in ("عبد", "أبو", "ابن", "بن", "بنت", "آل", "ولد"))
_STOP = frozenset(
    key(word)
    for word in (
        "في", "من", "إلى", "على", "عن", "مع", "بين", "الذي", "التي", "الذين", "أن", "إن", "قد", "لقد", "كما", "حيث",
        "بعد", "قبل", "خلال", "عند", "منذ", "حول", "ضد", "عبر", "لدى", "أمس", "اليوم", "غدا", "قال", "قالت", "أكد",
        "أكدت", "أعلن", "أعلنت", "وقال", "وأكد", "هو", "هي", "ثم", "أو", "أيضا", "نفسه", "الثلاثاء", "الأربعاء",
        "الخميس", "الجمعة", "السبت", "الأحد", "الاثنين", "إذ", "لكن", "بينما", "فيما", "وفد", "الوفد",
    )
)
_DELEGATION_WORDS = frozenset(key(word) for word in ("وفد", "الوفد", "وفدا", "الجانب", "الطرف", "بعثة", "البعثة"))
_SENTENCE_ENDS = frozenset(".!?؟…;؛\n")


@dataclass(frozen=True)
class Token:
    """A word or a punctuation mark of the article, with its folded form, its line and its place in the article."""

    text: str
    key: str
    line: int
    index: int

    @property
    def is_word(self) -> bool:
        """Tell whether the token is a word rather than punctuation."""
        return self.key[:1].isalnum()


@dataclass(frozen=True)
class Mention:
    """One place where the article names a person with a role."""

    name: str
    role: str
    score: int
    side: str | None
    side_phrase: str | None
    line: int
    phrase: str
    index: int
    known: KnownPerson | None


@dataclass(frozen=True)
class Scope:
    """A stretch of a sentence about one side: from «الوفد الروسي» to the sentence's end or the next side."""

    country: str
    phrase: str
    line: int
    start: int
    end: int


def tokens(lines: list[Line]) -> list[Token]:
    """Return the article's tokens, a line break token between lines (a sentence never runs across one)."""
    found: list[Token] = []
    for line in lines:
        for match in _TOKEN.finditer(line.text):
            found.append(Token(match.group(0), key(match.group(0)), line.number, len(found)))
        found.append(Token("\n", "\n", line.number, len(found)))
    return found


def _unprefixed(token: Token) -> tuple[str, str]:
    """Return a word's folded form and text without a joined «و» or «ف» when what remains opens a role."""
    if token.key in _HEADS:
        return token.key, token.text
    if token.key[:1] in ("و", "ف") and token.key[1:] in _HEADS:
        return token.key[1:], _MARKS.sub("", token.text[1:])
    return "", ""


def scopes(found: list[Token]) -> list[Scope]:
    """Return the stretches the article gives to one side: «ضم الوفد الأمريكي …», «الجانب الروسي …»."""
    starts = []
    for token, following in zip(found, found[1:], strict=False):
        folded = token.key[1:] if token.key[:1] in "وفبل" and token.key[1:] in _DELEGATION_WORDS else token.key
        if folded in _DELEGATION_WORDS and following.is_word and (code := nationality(following.text)):
            starts.append((token, following, code))
    result = []
    for number, (token, following, code) in enumerate(starts):
        end = next((t.index for t in found[token.index :] if t.text in _SENTENCE_ENDS), len(found))
        if number + 1 < len(starts):
            end = min(end, starts[number + 1][0].index)
        result.append(Scope(code, f"{token.text} {following.text}", token.line, token.index, end))
    return result


def mentions(found: list[Token], knowledge: Knowledge) -> list[Mention]:
    """Return every person named with a role, in the order of the article."""
    counts = _word_counts(found)
    spellings = knowledge.spellings()
    result: list[Mention] = []
    consumed = 0
    for token in found:
        head, head_text = _unprefixed(token)
        # «نائب الرئيس الأمريكي …» names one person, not a second one from «الرئيس».
        if not head or token.index < consumed:
            continue
        role_words, score, side, end = _role_at(found, token, head_text)
        named = _name_at(found, end, spellings, counts)
        honorific = None
        if named is None and len(role_words) > 1 and end < len(found) and found[end].key in _HONORIFICS:
            # «وزير الخارجية السعودي الأمير فيصل بن فرحان»: the office is the role, the title goes with the name.
            named = _name_at(found, end + 1, spellings, counts)
            if named is not None:
                named, honorific = (named[0], named[1] + 1), found[end].text
        if named is None:
            continue
        name, length = named
        consumed = end + length
        before = found[token.index - 1] if token.index else None
        side_phrase = None
        if side:
            side_phrase = " ".join(role_words) if nationality_in(role_words) or before is None else (
                f"{before.text} {' '.join(role_words)}")
        if len(role_words) > 2 and nationality(role_words[-1]):
            # «وزير الخارجية الأردني»: the side keeps the nationality; the role is «وزير الخارجية».
            role_words = role_words[:-1]
        role = " ".join(role_words)
        if head in _COUNTERPARTS:
            # «ونظيرته التونسية فاطمة …»: a counterpart holds the office of the person just named.
            role, score = (result[-1].role, result[-1].score) if result else (honorific or role, score)
        phrase = " ".join([head_text, *(t.text for t in found[token.index + 1 : end + length])])
        known = knowledge.person(name)
        result.append(Mention(
            known.name if known else name, role, score, side, side_phrase, token.line, phrase, token.index, known,
        ))
    return result


def _role_at(found: list[Token], token: Token, head_text: str) -> tuple[list[str], int, str | None, int]:
    """Return the words of the role that `token` opens, how much it says, its side, and where the name starts.

    A role is its opening word and the definite words after it (الرئيس الروسي, مستشار السياسة الخارجية); the
    score counts the words that are not a nationality, less for «وزير خارجيته», which leaves the office unnamed.
    """
    role_words, score, side = [head_text], 0, None
    # «ونظيره السعودي الأمير فيصل بن فرحان»: after a counterpart, the side comes just before the role
    # (after «الوفد الأمريكي» it does too, but the delegation's stretch says so already).
    before = found[token.index - 1] if token.index else None
    counterpart = found[token.index - 2] if token.index > 1 else None
    if (before is not None and counterpart is not None and before.is_word and nationality(before.text)
            and _unprefixed(counterpart)[0] in _COUNTERPARTS):
        side = nationality(before.text)
    index = token.index + 1
    while index < len(found) and found[index].is_word and len(role_words) < 6:
        word = found[index]
        suffixed = index == token.index + 1 and _pronoun_suffixed(word.key)
        # «وزير الصناعة والتجارة»: a definite word joined by و goes on with the role.
        definite = word.key.startswith(("ال", "وال")) and word.key not in _STOP
        joined_head = word.key not in _HEADS and bool(_unprefixed(word)[0])
        another = (word.key in _HEADS and len(role_words) > 1) or joined_head
        if not (definite or word.key in _ROLE_LINKS or suffixed) or another:
            break
        code = nationality(word.text) if definite else None
        side = side or code
        score += 0 if code else (-2 if suffixed else 1)
        role_words.append(word.text)
        index += 1
    return role_words, score, side, index


def nationality_in(words: list[str]) -> bool:
    """Tell whether any of `words` is a nationality adjective."""
    return any(nationality(word) for word in words)


def _pronoun_suffixed(folded: str) -> bool:
    """Tell whether a word ends in a possessive pronoun (خارجيته, دفاعها): «وزير خارجيته» is a role."""
    return not folded.startswith("ال") and len(folded) >= 5 and folded.endswith(("ته", "تها", "تهم"))


def _word_counts(found: list[Token]) -> Counter:
    """Return how often each folded word occurs, also without a joined و, ب, ل, ف or ك («وبوتين» counts as بوتين)."""
    counts: Counter = Counter()
    for token in found:
        if token.is_word:
            counts[token.key] += 1
            if token.key[:1] in "وبلفك" and len(token.key) > 3:
                counts[token.key[1:]] += 1
    return counts


def _name_at(found: list[Token], start: int, spellings: dict[str, str], counts: Counter) -> tuple[str, int] | None:
    """Return the name that starts at found[start] and how many words it has, or None when none does."""
    words = []
    for token in found[start : start + 4]:
        if not token.is_word:
            break
        words.append(token)
    for length in range(len(words), 0, -1):
        spelled = spellings.get(" ".join(token.key for token in words[:length]))
        if spelled:
            return spelled, length
    name: list[Token] = []
    for token in words:
        after_particle = bool(name) and name[-1].key in _PARTICLES
        if not _name_word(token, after_particle, len(name)):
            break
        core = sum(1 for word in name if word.key not in _PARTICLES)
        following = found[token.index + 1] if token.index + 1 < len(found) else None
        # «فاطمة ثابت شيبوب،»: a third word right before punctuation is the name's; «بوتين اللقاء.» is not.
        ends_phrase = (following is None or not following.is_word) and not token.key.startswith("ال")
        if core == 2 and token.key not in _PARTICLES and counts[token.key] < 2 and not ends_phrase:
            # A third word that occurs nowhere else runs on into the sentence more often than it names.
            break
        name.append(token)
        if token.key.startswith("ال") and not after_particle:
            break  # «أيمن الصفدي»: a family name with al- ends the name.
    while name and name[-1].key in _PARTICLES:
        name.pop()
    last = name[-1].key if name else ""
    # «بتصريحات هامة»: an indefinite word ending in ة is an adjective far more often than a family name.
    if len(name) < 2 or (last.endswith("ه") and not last.startswith("ال") and counts[last] < 2):
        return None
    return " ".join(token.text for token in name), len(name)


def _name_word(token: Token, after_particle: bool, position: int) -> bool:
    """Tell whether a word can be part of a person's name where it stands."""
    folded = token.key
    if folded in _STOP or folded in _HEADS or _unprefixed(token)[0] or any(char.isdigit() for char in folded):
        return False
    if nationality(token.text) or (len(folded) >= 5 and folded.endswith("ات")) or folded.startswith("وال"):
        return False
    if any(mark in token.text for mark in "\u064b\u064c\u064d"):
        return False  # tanween («اجتماعًا») marks an indefinite noun, never a name
    if folded.startswith("ال"):
        # «عبد الفتاح», or a family name after a given name («أيمن الصفدي»), never a name's first word.
        return after_particle or position >= 1
    return True
