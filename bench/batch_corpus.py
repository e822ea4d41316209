"""Generate a folder of varied, news-like articles (txt, md, html) for the batch benchmark.

Articles are assembled from sentence templates with random names, organisations, places,
cue verbs and figures (seeded, so the same corpus every time). About 80% are plain text,
10% Markdown and 10% saved HTML pages with navigation, related links and comments.

    python bench/batch_corpus.py OUT_DIR --count 2000 --seed 7
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FIRST = ["Maria", "James", "Aisha", "Tom", "Li", "Priya", "Carlos", "Hannah", "Kwame", "Elena", "Omar", "Grace"]
LAST = ["Okafor", "Schmidt", "Nakamura", "Ellis", "Duarte", "Novak", "Haddad", "Brennan", "Iversen", "Moreau"]
ROLES = [
    "finance minister",
    "chief executive",
    "union leader",
    "health secretary",
    "central bank governor",
    "council leader",
    "spokeswoman for the ministry",
    "senior economist",
    "opposition leader",
    "police commissioner",
]
ORGS = [
    "the Treasury",
    "the World Bank",
    "the city council",
    "the transport authority",
    "the national statistics office",
    "the teachers' union",
    "the energy regulator",
    "Northwind Holdings",
    "the port authority",
    "the hospital trust",
]
PLACES = ["Easton", "Riverford", "Port Alder", "Kellmoor", "Brightwater", "New Halden", "Saltmere", "Oakridge"]
TOPICS = [
    ("fuel prices", "the cost of fuel"),
    ("rail fares", "train tickets"),
    ("school funding", "classroom budgets"),
    ("hospital waiting times", "emergency care"),
    ("housing costs", "rents in the capital"),
    ("export orders", "foreign demand"),
    ("water bills", "the drought"),
    ("bus services", "rural routes"),
]
SAY = ["said", "told reporters", "said in a statement", "added", "noted", "insisted", "stressed"]
BELIEVE = ["believes", "expects", "fears", "thinks"]
WARN = ["warned", "cautioned"]
DENY = ["denied", "rejected claims"]
CURRENCIES = [("$", "m"), ("£", "m"), ("€", "bn"), ("$", "bn"), ("£", "bn")]
QUALIFIERS = ["", "more than ", "at least ", "about ", "nearly ", "up to ", "less than "]

LEADS = [
    "{Person}, the {role}, said on {day} that {topic} would rise by {qual}{pct} this year.",
    "{Org_cap} announced on {day} that it would spend {qual}{money} on {topic2} in {place}.",
    "Spending on {topic} in {place} fell by {pct} last year, according to {org}.",
    "{Person} {warn} on {day} that {topic2} could cost the economy {qual}{money}.",
]
BODY = [
    "“We cannot keep asking families to pay more for {topic2},” {person_short} said.",
    "“This is {adj} news for {place},” said {person}, the {role}. “People will see the difference by {month}.”",
    "{Person_short} {believe} that the plan will fail unless {org} acts quickly.",
    "According to {org}, {topic} have risen {qual}{pct} since {year}.",
    "The {role} {deny} that the figures had been changed before the vote.",
    "{Org_cap} said the scheme would cost {qual}{money} over {n} years.",
    "A senior official, who spoke on condition of anonymity, said the talks had stalled.",
    'He said the council had not been consulted. She added that {topic} were "a serious concern".',
    "Officials {say} that {n} new {things} would open in {place} by {month}.",
    "{Person} {warn} that {topic} could climb by {pct} if nothing changed, and that {n} jobs were at risk.",
    "Critics {say} that the government had promised {qual}{money} and delivered far less.",
    "The report found that {pct} of residents in {place} were worried about {topic2}.",
    "{Person_short} told the committee that {org} had “no plan at all” for {topic2}.",
    "Residents gathered outside the town hall on {day} as the debate went on into the evening.",
    "The decision comes weeks after {org} published figures showing a sharp rise in {topic}.",
]
BOILER = ["See also: {place} council approves new budget", "Read more: What the cuts mean for {place}", ""]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "June", "September", "December", "the spring", "the end of the year"]
THINGS = ["clinics", "schools", "bus routes", "homes", "training centres"]
ADJ = ["good", "difficult", "welcome", "worrying"]


def _fill(template: str, rng: random.Random, ctx: dict[str, str]) -> str:
    cur, scale = rng.choice(CURRENCIES)
    values = {
        "money": f"{cur}{rng.choice([1.5, 3, 12, 45, 120, 900, 2.4, 7])}{scale}",
        "pct": f"{rng.randint(2, 90)}%",
        "qual": rng.choice(QUALIFIERS),
        "org": rng.choice(ORGS),
        "role": rng.choice(ROLES),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "year": str(rng.randint(2010, 2022)),
        "n": str(rng.randint(2, 40)),
        "things": rng.choice(THINGS),
        "adj": rng.choice(ADJ),
        "say": rng.choice(["said", "claimed", "argued"]),
        "believe": rng.choice(BELIEVE),
        "warn": rng.choice(WARN),
        "deny": rng.choice(DENY),
        **ctx,
    }
    values["Org_cap"] = values["org"][0].upper() + values["org"][1:]
    return template.format(**values)


def article(rng: random.Random) -> tuple[str, str, str]:
    """Headline, body text (blank-line paragraphs) and author of one generated article."""
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    topic, topic2 = rng.choice(TOPICS)
    ctx = {
        "Person": person,
        "person": person,
        "Person_short": person.split()[1],
        "person_short": person.split()[1],
        "topic": topic,
        "topic2": topic2,
        "place": rng.choice(PLACES),
    }
    headline = _fill(rng.choice(["{place} faces row over {topic}", "{Org_cap} plans {money} for {topic2}"]), rng, ctx)
    paragraphs = [_fill(rng.choice(LEADS), rng, ctx)]
    for _ in range(rng.randint(5, 14)):
        sentences = [_fill(rng.choice(BODY), rng, ctx) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(sentences))
    boiler = _fill(rng.choice(BOILER), rng, ctx)
    if boiler:
        paragraphs.insert(rng.randint(2, len(paragraphs)), boiler)
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return headline[0].upper() + headline[1:], "\n\n".join(paragraphs), author


def html_page(headline: str, body: str, author: str, rng: random.Random) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{headline} | The Example Post</title>
<meta name="author" content="{author}"><meta property="og:site_name" content="The Example Post">
<meta property="article:published_time" content="2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{headline}</h1>
{paras}
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/x">Another story</a></li></ul></aside>
<section id="comments"><h2>Comments</h2><p>Reader: I said this years ago.</p></section>
<footer>© The Example Post</footer></body></html>
"""


def generate(out: Path, count: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write ``count`` articles into ``out`` (numbered from ``start``); returns their paths in order."""
    rng = random.Random(seed * 1_000_003 + start)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        headline, body, author = article(rng)
        kind = rng.random()
        if kind < 0.1:
            path = out / f"article-{i:05d}.html"
            path.write_text(html_page(headline, body, author, rng), encoding="utf-8")
        elif kind < 0.2:
            path = out / f"article-{i:05d}.md"
            path.write_text(f"# {headline}\n\n*By {author}*\n\n{body}\n", encoding="utf-8")
        else:
            path = out / f"article-{i:05d}.txt"
            path.write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
