"""Which bullet lists are the sheet's outcomes, and the Markdown body made of everything else, word for word."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .outline import Block, BulletList, DetailsTable, Heading, Item, Outline, Paragraph, about_outcomes

# A paragraph starting with these would turn into a heading, a quote or a rule in Markdown.
_MARKDOWN_START = re.compile(r"^(?:#|>|=+$|-{3,}$|\*{3,}$)")


@dataclass(frozen=True)
class Parts:
    """The article divided: outcomes (and the heading they came under), details, the body and what it holds."""

    outcomes: tuple[Item, ...]
    outcomes_heading: Heading | None
    details: DetailsTable | None
    first_paragraph: Paragraph | None
    headings: tuple[Heading, ...]
    body_lists: tuple[BulletList, ...]
    dropped_headings: tuple[Heading, ...]
    body: str


def divide(article: Outline) -> Parts:
    """Return the article's outcomes, details table and Markdown body."""
    blocks = list(article.blocks)
    leads = {id(block): _lead(blocks, index) for index, block in enumerate(blocks)}
    lists = [block for block in blocks if isinstance(block, BulletList)]
    under_outcome_heading = [
        block for block in lists if isinstance(lead := leads[id(block)], Heading) and about_outcomes(lead)
    ]
    chosen = under_outcome_heading or [block for block in lists if not isinstance(leads[id(block)], Heading)]
    outcomes = tuple(item for block in chosen for item in block.items)
    heading = leads[id(chosen[0])] if under_outcome_heading else None
    # A heading whose section was only the outcome list leaves the body: the sheet shows its outcomes apart.
    dropped = [
        lead for block in under_outcome_heading
        if isinstance(lead := leads[id(block)], Heading) and _section_is_only(blocks, lead, block)
    ]
    tables = [block for block in blocks if isinstance(block, DetailsTable)]
    details = tables[0] if tables else None
    body_blocks = [
        block for block in blocks
        if not any(block is other for other in (*chosen, *dropped)) and block is not details
    ]
    return Parts(
        outcomes=outcomes,
        outcomes_heading=heading if isinstance(heading, Heading) else None,
        details=details,
        first_paragraph=next((block for block in blocks if isinstance(block, Paragraph)), None),
        headings=tuple(block for block in body_blocks if isinstance(block, Heading)),
        body_lists=tuple(block for block in body_blocks if isinstance(block, BulletList)),
        dropped_headings=tuple(dropped),
        body=render(body_blocks),
    )


def _lead(blocks: list[Block], index: int) -> Block | None:
    """Return the block right before blocks[index] (None at the start, after the headline)."""
    return blocks[index - 1] if index > 0 else None


def _section_is_only(blocks: list[Block], heading: Heading, listed: BulletList) -> bool:
    """Tell whether the section under `heading` holds nothing but `listed`."""
    after = blocks.index(listed) + 1
    return after == len(blocks) or isinstance(blocks[after], Heading)


def render(blocks: list[Block]) -> str:
    """Return the Markdown of body blocks: paragraphs word for word, `##` headings, lists; blank lines between."""
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            text = block.line.text
            parts.append("\\" + text if _MARKDOWN_START.match(text) else text)
        elif isinstance(block, Heading):
            parts.append(f"## {block.text}")
        elif isinstance(block, BulletList):
            numbered = block.numbered
            parts.append("\n".join(
                f"{number}. {item.text}" if numbered else f"- {item.text}"
                for number, item in enumerate(block.items, start=1)
            ))
        else:
            # A second details table stays in the body as its lines: only one can be the sheet's.
            parts.append("\n\n".join(line.text for line in (block.header, *block.rows)))
    return "\n\n".join(parts) + "\n" if parts else ""
