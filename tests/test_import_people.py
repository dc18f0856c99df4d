"""People named with a role and their delegations (waraqa/importer/people.py, delegations.py, sides.py)."""

from __future__ import annotations

import pytest

from waraqa.importer.knowledge import Knowledge, KnownPerson
from waraqa.importer.people import mentions, tokens
from waraqa.importer.sides import nationality
from waraqa.importer.text import clean_lines

from tests.importkit import drafted


def named(text: str, knowledge: Knowledge | None = None) -> list[tuple[str, str, str | None]]:
    """Return (role, name, side) of every person `text` names with a role."""
    return [(m.role, m.name, m.side) for m in mentions(tokens(clean_lines(text)), knowledge or Knowledge())]


@pytest.mark.parametrize(
    "text, people",
    [
        ("رافق الرئيس الروسي فلاديمير بوتين وزير خارجيته سيرغي لافروف ومستشار السياسة الخارجية يوري أوشاكوف.",
         [("الرئيس الروسي", "فلاديمير بوتين", "RU"), ("وزير خارجيته", "سيرغي لافروف", None),
          ("مستشار السياسة الخارجية", "يوري أوشاكوف", None)]),
        ("وقال وزير الخارجية الأردني أيمن الصفدي إن …", [("وزير الخارجية", "أيمن الصفدي", "JO")]),
        ("استقبل الرئيس المصري عبد الفتاح السيسي", [("الرئيس المصري", "عبد الفتاح السيسي", "EG")]),
        ("ونظيره السعودي الأمير فيصل بن فرحان اجتماعًا", [("الأمير", "فيصل بن فرحان", "SA")]),
        ("التقى وزير الخارجية الأردني أيمن الصفدي ونظيره السعودي الأمير فيصل بن فرحان",
         [("وزير الخارجية", "أيمن الصفدي", "JO"), ("وزير الخارجية", "فيصل بن فرحان", "SA")]),
        ("وزير الخارجية السعودي الأمير فيصل بن فرحان", [("وزير الخارجية", "فيصل بن فرحان", "SA")]),
        ("نائب الرئيس الأمريكي جيه دي فانس،", [("نائب الرئيس", "جيه دي فانس", "US")]),
        ("وزير الصناعة والتجارة يعرب القضاة.", [("وزير الصناعة والتجارة", "يعرب القضاة", None)]),
        ("التقى الرئيس الروسي فلاديمير بوتين الرئيس الأمريكي دونالد ترمب",
         [("الرئيس الروسي", "فلاديمير بوتين", "RU"), ("الرئيس الأمريكي", "دونالد ترمب", "US")]),
        ("وزير الطاقة الجزائري محمد عرقاب ونظيرته التونسية فاطمة ثابت شيبوب،",
         [("وزير الطاقة", "محمد عرقاب", "DZ"), ("وزير الطاقة", "فاطمة ثابت شيبوب", "TN")]),
    ],
)
def test_a_person_is_a_role_then_a_name(text, people):
    """The role is its opening word and definite words; the name the words after; the side a nationality."""
    assert named(text) == people


@pytest.mark.parametrize(
    "text",
    [
        "أدلى الرئيس الأمريكي بتصريحات هامة أبرزت نوايا واشنطن",
        "قال الرئيس إن المحادثات مستمرة",
        "وزير الخارجية في زيارة رسمية",
        "الرئيس بوتين",  # one word: a family name alone is not enough for someone the site does not know
    ],
)
def test_a_role_not_followed_by_a_name_names_no_one(text):
    """Plurals, adjectives, prepositions and single words after a role are not names."""
    assert named(text) == []


def test_a_name_the_site_knows_is_found_in_full_and_spelled_as_the_site_spells_it():
    """«الرئيس ترامب» on a site whose [aliases] join ترامب to دونالد ترمب names دونالد ترمب."""
    trump = KnownPerson("دونالد ترمب", "الرئيس الأمريكي", "الولايات المتحدة", "US")
    knowledge = Knowledge(people={"دونالد ترمب": trump}, aliases={"دونالد ترامب": "دونالد ترمب"})
    assert named("وقال الرئيس الأمريكي دونالد ترامب إن", knowledge) == [("الرئيس الأمريكي", "دونالد ترمب", "US")]


def test_nationality_adjectives_in_every_form_name_a_country():
    """الروسي, الروسية, الروس, والأمريكي, الأميركية, الإسرائيلي, الجزائري; a country name or a common word is none."""
    assert [nationality(word) for word in ("الروسي", "الروسية", "الروس", "والأمريكي", "الأميركية", "الإسرائيلي",
                                          "الجزائري", "روسيا", "الخارجية", "العربية")] == [
        "RU", "RU", "RU", "US", "US", "IL", "DZ", None, None, None]


TITLE = "عنوان"
MEETING = (
    "حضر الرئيس الروسي فلاديمير بوتين اللقاء. وتشكّل الوفد الروسي من وزير الخارجية سيرغي لافروف، "
    "بينما ضم الوفد الأمريكي وزير الخارجية ماركو روبيو والمبعوث الخاص ستيف ويتكوف. "
    "وسيشارك الرئيس الأوكراني فولوديمير زيلينسكي في اجتماع لاحق."
)


def test_delegations_group_people_by_the_side_the_text_gives_them():
    """«الوفد الروسي» and «الرئيس الروسي» give sides; a side no delegation phrase names stays out, remarked."""
    draft = drafted(f"{TITLE}\n{MEETING}\n")
    assert draft.front["delegations"] == [
        {"side": "روسيا", "country": "RU", "members": [
            {"name": "فلاديمير بوتين", "role": "الرئيس الروسي"}, {"name": "سيرغي لافروف", "role": "وزير الخارجية"}]},
        {"side": "الولايات المتحدة", "country": "US", "members": [
            {"name": "ماركو روبيو", "role": "وزير الخارجية"}, {"name": "ستيف ويتكوف", "role": "المبعوث الخاص"}]},
    ]
    assert "# راجع: السطر 2: ذُكر «الرئيس الأوكراني فولوديمير زيلينسكي» ولم أضعه في وفد" in draft.text
    assert "  - side: روسيا  # راجع: الجانب من «الرئيس الروسي» في السطر 2" in draft.text
    assert "  - side: الولايات المتحدة  # راجع: الجانب من «الوفد الأمريكي» في السطر 2" in draft.text
    assert "      - name: سيرغي لافروف  # راجع: السطر 2: «وزير الخارجية سيرغي لافروف»" in draft.text


def test_without_delegation_phrases_everyone_with_a_side_is_in_a_delegation():
    """An article that never says «الوفد» groups people by their nationality adjectives alone."""
    draft = drafted(f"{TITLE}\nاستقبل الرئيس المصري عبد الفتاح السيسي وزير الخارجية الأمريكي ماركو روبيو في القاهرة.\n")
    assert [(d["side"], d["country"]) for d in draft.front["delegations"]] == [("مصر", "EG"), ("الولايات المتحدة", "US")]


def test_the_role_that_says_most_wins_and_the_site_s_known_role_breaks_ties():
    """«المبعوث الخاص» over «المبعوث الأمريكي»; «وزير الخارجية» over «وزير خارجيته»."""
    draft = drafted(f"{TITLE}\nرافق الرئيس الروسي فلاديمير بوتين وزير خارجيته سيرغي لافروف. وفي الوفد الروسي وزير الخارجية "
                    "سيرغي لافروف، وفي الوفد الأمريكي المبعوث الأمريكي ستيف ويتكوف، وقال المبعوث الخاص ستيف ويتكوف إن.\n")
    roles = {m["name"]: m["role"] for d in draft.front["delegations"] for m in d["members"]}
    assert roles == {"فلاديمير بوتين": "الرئيس الروسي", "سيرغي لافروف": "وزير الخارجية", "ستيف ويتكوف": "المبعوث الخاص"}


def test_a_known_person_named_by_family_name_only_joins_a_delegation_of_their_side():
    """«ترمب» alone, on a site that knows دونالد ترمب, adds him to the American delegation, first if first named."""
    trump = KnownPerson("دونالد ترمب", "الرئيس الأمريكي", "الولايات المتحدة", "US")
    knowledge = Knowledge(people={"دونالد ترمب": trump}, sides={"US": "الولايات المتحدة"})
    draft = drafted(f"{TITLE}\nالتقى ترمب نظراءه. وضم الوفد الأمريكي وزير الخارجية ماركو روبيو.\n", knowledge)
    assert draft.front["delegations"][0]["members"] == [
        {"name": "دونالد ترمب", "role": "الرئيس الأمريكي"}, {"name": "ماركو روبيو", "role": "وزير الخارجية"}]
    assert "# راجع: السطر 2: «ترمب» وحده؛ الاسم الكامل والدور من أوراق الموقع" in draft.text
    # Without a delegation of his side in the text, a family name alone adds no one.
    alone = drafted(f"{TITLE}\nوقال ترمب إن القمة كانت مثمرة وإن اللقاء المقبل قريب.\n", knowledge)
    assert "delegations" not in alone.front
