"""Delegations drafted from the people an article names: one person once, with the best role and a side."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .knowledge import Knowledge, KnownPerson
from .model import Delegation, Member, Note
from .people import Mention, Scope, Token, mentions, scopes, tokens
from .sides import side_name
from .text import Line
from .words import key


@dataclass(frozen=True)
class Person:
    """Everything the article says of one person: the chosen role and side, and where they come first."""

    name: str
    role: str
    country: str | None
    role_mention: Mention
    side_phrase: str | None
    side_line: int
    first: int
    known: KnownPerson | None
    family_only: bool = False


def draft_delegations(lines: list[Line], knowledge: Knowledge) -> tuple[tuple[Delegation, ...], list[Note]]:
    """Return the delegations an article names, sides in the order the article first names a member, and remarks."""
    found = tokens(lines)
    sided = scopes(found)
    people = _people(mentions(found, knowledge), sided, found, knowledge)
    countries_with_scope = {scope.country for scope in sided}
    members = [p for p in people if p.country and (not sided or p.country in countries_with_scope)]
    members += _named_by_family_name(found, knowledge, people, {p.country for p in members})
    remarks = [
        Note(
            f"السطر {p.role_mention.line}: ذُكر «{p.role_mention.phrase}» ولم أضعه في وفد",
            f"line {p.role_mention.line}: named, but put in no delegation",
        )
        for p in people if p not in members
    ]
    by_country: dict[str, list[Person]] = {}
    for person in sorted(members, key=lambda p: p.first):
        by_country.setdefault(person.country or "", []).append(person)
    delegations = tuple(_delegation(country, group, knowledge) for country, group in by_country.items())
    return delegations, remarks


def _people(found_mentions: list[Mention], sided: list[Scope], found: list[Token], knowledge: Knowledge) -> list[Person]:
    """Return one Person per name mentioned, with the role that says most and the side most mentions give."""
    by_name: dict[str, list[Mention]] = {}
    for mention in found_mentions:
        by_name.setdefault(key(mention.name), []).append(mention)
    people = []
    for mentioned in by_name.values():
        known = mentioned[0].known
        best = max(mentioned, key=lambda m: (m.score + (10 if known and key(m.role) == key(known.role) else 0), -m.index))
        sides: Counter = Counter()
        evidence: dict[str, tuple[str, int]] = {}
        for mention in mentioned:
            scope = next((s for s in sided if s.start <= mention.index < s.end), None)
            if mention.side:
                sides[mention.side] += 1
                evidence.setdefault(mention.side, (mention.side_phrase or mention.role, mention.line))
            elif scope:
                sides[scope.country] += 1
                evidence.setdefault(scope.country, (scope.phrase, scope.line))
        country = sides.most_common(1)[0][0] if sides else (known.country if known else None)
        phrase, line = evidence.get(country or "", (None, mentioned[0].line))
        name = mentioned[0].name
        first = min(mentioned[0].index, _first_use(found, name))
        people.append(Person(name, best.role, country, best, phrase, line, first, known))
    return people


def _first_use(found: list[Token], name: str) -> int:
    """Return where the article first uses a person's family name («بوتين», «وبوتين»), or the end if never."""
    family = key(name).split()[-1]
    for token in found:
        if token.key == family or (token.key[:1] in "وبلفك" and token.key[1:] == family):
            return token.index
    return len(found)


def _named_by_family_name(found: list[Token], knowledge: Knowledge, people: list[Person], countries: set) -> list[Person]:
    """Return the people the site knows whom the article names by family name only, on a side it has a delegation of.

    «ترمب» alone names دونالد ترمب on a site that knows him; a family name two known people share names neither.
    """
    named = {key(p.name) for p in people}
    families: dict[str, list[KnownPerson]] = {}
    for spelling, name in knowledge.spellings().items():
        person = knowledge.person(name)
        if person is not None and len(spelling.split()) > 1:
            families.setdefault(spelling.split()[-1], []).append(person)
    added = []
    for family, candidates in families.items():
        unique = {candidate.name for candidate in candidates}
        person = candidates[0]
        if len(unique) != 1 or key(person.name) in named or person.country not in countries or len(family) < 3:
            continue
        first = next((t for t in found if t.key == family or (t.key[:1] in "وبلفك" and t.key[1:] == family)), None)
        if first is None:
            continue
        mention = Mention(person.name, person.role, 0, person.country, None, first.line, first.text, first.index, person)
        added.append(
            Person(person.name, person.role, person.country, mention, None, first.line, first.index, person, True)
        )
        named.add(key(person.name))
    return added


def _delegation(country: str, group: list[Person], knowledge: Knowledge) -> Delegation:
    """Return the delegation of one country, noting what gave its side and each member."""
    evidence = next((p for p in group if p.side_phrase), None)
    side = side_name(country, knowledge.sides)
    if evidence:
        note = Note(f"الجانب من «{evidence.side_phrase}» في السطر {evidence.side_line}",
                    f"side from «{evidence.side_phrase}» on line {evidence.side_line}")
    else:
        note = Note("الجانب من أوراق الموقع", "side from the site's other sheets")
    return Delegation(side, country, tuple(_member(person) for person in group), note)


def _member(person: Person) -> Member:
    """Return a delegation member with the note that says where the article names them."""
    mention = person.role_mention
    if person.family_only:
        note = Note(
            f"السطر {mention.line}: «{mention.phrase}» وحده؛ الاسم الكامل والدور من أوراق الموقع",
            f"line {mention.line}: only «{mention.phrase}»; full name and role from the site's other sheets",
        )
    elif person.known:
        note = Note(f"السطر {mention.line}: «{mention.phrase}»، والاسم معروف في الموقع",
                    f"line {mention.line}: «{mention.phrase}», a name the site knows")
    else:
        note = Note(f"السطر {mention.line}: «{mention.phrase}»", f"line {mention.line}: «{mention.phrase}»")
    return Member(person.name, person.role, note)
