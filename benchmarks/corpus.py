"""Generate N realistic Arabic fact sheets, deterministically: `python benchmarks/corpus.py N DIR`."""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CITIES = ["الرياض", "القاهرة", "بيروت", "عمّان", "الدوحة", "تونس", "الرباط", "بغداد", "دمشق", "الجزائر", "مسقط", "أبوظبي"]
PLACES = ["Geneva", "Vienna", "New York", "Paris", "Anchorage", "Doha", "Istanbul", "Brussels"]
SIDES = [
    ("الولايات المتحدة", "US"), ("روسيا", "RU"), ("مصر", "EG"), ("السعودية", "SA"), ("فرنسا", "FR"),
    ("الأردن", "JO"), ("قطر", "QA"), ("تركيا", "TR"), ("الصين", "CN"), ("ألمانيا", "DE"), ("الجزائر", "DZ"),
]
FIRST = ["أحمد", "محمد", "سارة", "ليلى", "يوسف", "مريم", "خالد", "نور", "عمر", "هدى", "سيرغي", "ماركو", "ستيف", "آنا"]
LAST = ["العلي", "حداد", "منصور", "الخطيب", "لافروف", "روبيو", "ويتكوف", "شولتس", "داود", "بن سالم", "الأمين"]
ROLES = ["وزير الخارجية", "المبعوث الخاص", "مستشار الأمن القومي", "وزيرة الاقتصاد", "الرئيس", "رئيس الوزراء", "السفير"]
TAGS = ["قمم", "طاقة", "نفط", "انتخابات", "اقتصاد", "أمن", "مناخ", "تجارة", "صحة", "تعليم", "هجرة", "مياه",
        "روسيا", "أوكرانيا", "الخليج", "أفريقيا", "أوروبا", "آسيا", "نووي", "سلام"]
LABELS = ["مدة القمة", "موقع الاجتماع", "عدد الوفود", "الموضوع الرئيسي", "الجهة المنظمة", "تاريخ الانعقاد",
          "قيمة الاتفاق", "عدد المشاركين", "المدة المقترحة", "الجولة"]
SENTENCES = [
    "ناقش الوفدان في {city} سبل خفض التصعيد، بحضور ممثلين عن {org} وخبراء من {place}.",
    "أكد {name} أن الاتفاق يشمل {n} بنود رئيسية، وأن تنفيذه يبدأ خلال {n2} يومًا.",
    "بحسب وكالة {org}، استمرت المحادثات نحو {n} ساعات وشارك فيها {n2} مسؤولًا من الجانبين.",
    "وأشار التقرير إلى أن حجم التبادل التجاري بلغ {n} مليار دولار في عام {year}، بزيادة {n2}% عن العام السابق.",
    "وشدّد البيان الختامي على أهمية الحوار المباشر، مع التركيز على ملفات الطاقة والأمن الغذائي والمياه.",
    "وقال {name} في مؤتمر صحفي إن «الجولة {n}» من المفاوضات ستُعقد في {place} خلال الأشهر المقبلة.",
    "ويرى محللون في {org} أن هذه الخطوة تمثل تحولًا مهمًا في مسار العلاقات الإقليمية منذ عام {year}.",
    "كما تضمّن الاجتماع عرضًا لخطة «{n}+{n2}» التي تهدف إلى توسيع الشراكة في مجالات التعليم والصحة.",
]
ORGS = ["Reuters", "Associated Press", "Fox News", "BBC", "Al Jazeera", "OPEC", "UNICEF", "World Bank"]


def sentence(rng: random.Random) -> str:
    """Return one Arabic sentence with Latin names and numbers mixed in."""
    return rng.choice(SENTENCES).format(
        city=rng.choice(CITIES), org=rng.choice(ORGS), place=rng.choice(PLACES), name=person(rng),
        n=rng.randint(2, 40), n2=rng.randint(2, 90), year=rng.randint(1990, 2025),
    )


def person(rng: random.Random) -> str:
    """Return a person's name."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sheet(index: int) -> str:
    """Return the text of sheet number `index`: front matter and a 6–7 KB body with 4–6 sections."""
    rng = random.Random(index)
    day = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3800))
    lines = [
        "---",
        f'title: "قمة {rng.choice(CITIES)} رقم {index}: محادثات حول {rng.choice(TAGS)}"',
        f"date: {day.isoformat()}",
        f'summary: "{sentence(rng)}"',
        f'place: "{rng.choice(CITIES)}"',
        "tags:",
        *[f"  - {tag}" for tag in rng.sample(TAGS, rng.randint(2, 4))],
        "sources:",
        f"  - publisher: {rng.choice(ORGS)}",
        f"    url: https://example.com/news/{index}",
        "details:",
        *[f'  {label}: "{rng.randint(1, 99)} {rng.choice(["ساعات", "دول", "مليار دولار", "بندًا"])}"'
          for label in rng.sample(LABELS, rng.randint(4, 8))],
        "delegations:",
    ]
    for side, country in rng.sample(SIDES, rng.randint(2, 3)):
        lines += [f"  - side: {side}", f"    country: {country}", "    members:"]
        for _ in range(3):
            lines += [f"      - name: {person(rng)}", f"        role: {rng.choice(ROLES)}"]
    lines.append("outcomes:")
    lines += [f'  - "{sentence(rng)}"' for _ in range(rng.randint(3, 6))]
    lines += ["---", ""]
    sections = rng.randint(4, 6)
    body: list[str] = []
    while len("\n".join(body).encode("utf-8")) < rng.randint(6000, 7000):
        if len(body) % 4 == 0 and body.count("##") < sections:
            body.append(f"## {sentence(rng).split('،')[0]}")
        body.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))))
    return "\n".join(lines) + "\n\n".join(body) + "\n"


def generate(count: int, folder: Path, search: bool = False) -> Path:
    """Write a site of `count` sheets into `folder` (content/, templates/, waraqa.toml); return the folder.

    Search is off unless asked for: Hugo's equivalent site has none, and the benchmarks time Pagefind apart.
    """
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "content").mkdir(parents=True)
    shutil.copytree(REPO / "templates", folder / "templates")
    settings = f'title = "أرشيف الأوراق"\nbase_url = "https://example.org/"\nsearch = {str(search).lower()}\n'
    (folder / "waraqa.toml").write_text(settings, encoding="utf-8")
    for index in range(count):
        (folder / "content" / f"sheet-{index:05d}.md").write_text(sheet(index), encoding="utf-8")
    return folder


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
