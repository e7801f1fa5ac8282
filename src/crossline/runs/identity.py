"""Stable ids: which id each cluster an analysis found (a line's deal numbers, a person's
records) carries, given what the workspace remembers of earlier runs.

An analysis names what it finds from its content (a line from its first number, a person
from its smallest record), which renames a line as soon as older data shows it began on
an earlier number. The workspace instead remembers every member's id, and a cluster
inherits the ids its members had:

- a cluster whose members had one id keeps it, however many members were added;
- a cluster whose members had several ids (a merge) keeps the oldest; the others become
  aliases of it, so that an id once handed out always still resolves;
- an id whose members fell apart (a split) stays with the part holding most of them; the
  other parts are new;
- a cluster with no known member gets a new id, minted exactly as the analysis named it
  (so a fresh workspace gives byte for byte what the analysis alone gives).

Everything here is pure: the same clusters and memory give the same ids in any order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

Mint = Callable[[str], str]  # a member -> the content-derived id a cluster it led would get


@dataclass(frozen=True)
class Cluster:
    """What one analysis found: its content-derived id and its members, leading one first."""

    fresh: str
    members: tuple[str, ...]


@dataclass
class Memory:
    """What the workspace knows of one kind of id (lines or persons)."""

    born: dict[str, int] = field(default_factory=dict)  # id -> run that minted it
    aliases: dict[str, str] = field(default_factory=dict)  # retired id -> id it resolves to
    members: dict[str, str] = field(default_factory=dict)  # member -> id it last had

    def resolve(self, some_id: str) -> str:
        seen = {some_id}
        while some_id in self.aliases:
            some_id = self.aliases[some_id]
            if some_id in seen:  # a cycle can only come from a hand-edited store
                break
            seen.add(some_id)
        return some_id


@dataclass
class Assignment:
    ids: list[str]  # the stable id of each cluster, in the clusters' order
    minted: list[str]  # ids new in this run
    aliased: dict[str, str]  # ids retired in this run -> the id that absorbed them


def _candidates(cluster: Cluster, mint: Mint) -> Iterator[str]:
    """The content-derived ids a new cluster may take, the analysis' own first: another
    member's when that is taken (a split part led by the number that named the old line),
    then the leading member's with a counter."""
    yield cluster.fresh
    for m in cluster.members[1:]:
        yield mint(m)
    k = 2
    while True:
        yield mint(f"{cluster.members[0]}#{k}")
        k += 1


def assign(clusters: Sequence[Cluster], memory: Memory, run: int, mint: Mint) -> Assignment:
    """Each cluster's stable id; updates `memory` to what this run knows."""
    claims: dict[str, list[tuple[int, int]]] = defaultdict(list)  # old id -> (cluster, n)
    for i, cluster in enumerate(clusters):
        held = Counter(
            memory.resolve(memory.members[m]) for m in cluster.members if m in memory.members
        )
        for old, n in held.items():
            claims[old].append((i, n))

    def rank(claim: tuple[int, int]) -> tuple[int, int, str]:
        # most of the old members, then the larger cluster, then the analysis' id: never
        # the position in the list, so the order clusters come in does not matter
        i, n = claim
        return (-n, -len(clusters[i].members), clusters[i].fresh)

    won: dict[int, list[str]] = defaultdict(list)
    for old, cs in claims.items():
        won[min(cs, key=rank)[0]].append(old)

    def age(some_id: str) -> tuple[int, str]:
        return (memory.born.get(some_id, run), some_id)

    ids: list[str | None] = [None] * len(clusters)
    aliased: dict[str, str] = {}
    for i, olds in won.items():
        keep = min(olds, key=age)
        ids[i] = keep
        for other in olds:
            if other != keep:
                aliased[other] = keep
    taken = set(memory.born) | set(memory.aliases)
    minted: list[str] = []
    for i in sorted((i for i, x in enumerate(ids) if x is None), key=lambda i: clusters[i].fresh):
        new = next(c for c in _candidates(clusters[i], mint) if c not in taken)
        taken.add(new)
        minted.append(new)
        ids[i] = new
        memory.born[new] = run

    memory.aliases.update(aliased)
    memory.aliases = {a: memory.resolve(t) for a, t in memory.aliases.items()}
    final = [x for x in ids if x is not None]
    assert len(final) == len(clusters)
    for cluster, stable in zip(clusters, final, strict=True):
        for m in cluster.members:
            memory.members[m] = stable
    return Assignment(final, minted, aliased)
