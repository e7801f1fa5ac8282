"""Stable ids on tiny hand-made cases: what survives a merge, a split, and data arriving
in any order."""

from __future__ import annotations

import itertools

from crossline.runs.identity import Cluster, Memory, assign


def mint(member: str) -> str:
    return f"ID-{member}"


def cl(*members: str) -> Cluster:
    return Cluster(mint(members[0]), members)


def test_a_fresh_memory_names_clusters_as_the_analysis_did() -> None:
    clusters = [cl("b", "c"), cl("a")]
    done = assign(clusters, Memory(), run=1, mint=mint)
    assert done.ids == ["ID-b", "ID-a"]
    assert sorted(done.minted) == ["ID-a", "ID-b"]
    assert done.aliased == {}


def test_a_line_keeps_its_id_when_older_numbers_join_it() -> None:
    memory = Memory()
    assign([cl("n5", "n6")], memory, run=1, mint=mint)
    # older data shows the line began on n3: the analysis now names it from n3
    done = assign([cl("n3", "n4", "n5", "n6")], memory, run=2, mint=mint)
    assert done.ids == ["ID-n5"]
    assert done.minted == []


def test_a_merge_keeps_the_older_id_and_aliases_the_other() -> None:
    memory = Memory()
    assign([cl("a1")], memory, run=1, mint=mint)
    assign([cl("a1"), cl("b1")], memory, run=2, mint=mint)
    done = assign([cl("b1", "a1", "c1")], memory, run=3, mint=mint)
    assert done.ids == ["ID-a1"]  # born in run 1, older than ID-b1 (run 2)
    assert done.aliased == {"ID-b1": "ID-a1"}
    assert memory.resolve("ID-b1") == "ID-a1"
    # an alias of an alias resolves to the survivor
    assign([cl("z1")], memory, run=4, mint=mint)
    done = assign([cl("z1", "a1", "b1")], memory, run=0, mint=mint)
    assert memory.resolve("ID-b1") == memory.resolve("ID-a1") == done.ids[0]


def test_a_split_keeps_the_id_on_the_part_holding_most_of_the_old_members() -> None:
    memory = Memory()
    assign([cl("a", "b", "c", "d")], memory, run=1, mint=mint)
    done = assign([cl("a"), cl("b", "c", "d")], memory, run=2, mint=mint)
    # the larger part keeps ID-a; the part led by "a" cannot take ID-a again
    assert done.ids[1] == "ID-a"
    assert done.ids[0] not in {"ID-a"}
    assert done.minted == [done.ids[0]]
    assert memory.resolve(done.ids[0]) == done.ids[0]


def test_a_new_member_of_a_split_line_still_counts_for_its_part() -> None:
    memory = Memory()
    assign([cl("a", "b", "c")], memory, run=1, mint=mint)
    done = assign([cl("a", "b", "x"), cl("c", "y", "z")], memory, run=2, mint=mint)
    assert done.ids[0] == "ID-a"  # two old members against one
    assert done.ids[1] == "ID-c"


def test_ids_do_not_depend_on_the_order_clusters_come_in() -> None:
    history = [[cl("a", "b"), cl("c")], [cl("d", "e")]]
    now = [cl("a"), cl("b", "c"), cl("d"), cl("e", "f"), cl("g")]
    seen = set()
    for perm in itertools.permutations(now):
        memory = Memory()
        for run, clusters in enumerate(history, 1):
            assign(clusters, memory, run=run, mint=mint)
        done = assign(list(perm), memory, run=3, mint=mint)
        seen.add(frozenset(zip([c.members for c in perm], done.ids, strict=True)))
    assert len(seen) == 1


def test_the_later_half_first_keeps_the_ids_it_gave() -> None:
    """Either delivery order ends with one id per line; the first delivery's ids stay."""
    whole = [cl("n1", "n2", "n3", "n4"), cl("m1", "m2")]
    for first in ([cl("n3", "n4"), cl("m2")], [cl("n1", "n2"), cl("m1")]):
        memory = Memory()
        given = assign(first, memory, run=1, mint=mint).ids
        done = assign(whole, memory, run=2, mint=mint)
        assert done.ids == given
        assert done.aliased == {}


def test_a_member_that_reappears_comes_back_to_its_id() -> None:
    memory = Memory()
    assign([cl("a", "b")], memory, run=1, mint=mint)
    assign([cl("b")], memory, run=2, mint=mint)  # "a" not found this time
    done = assign([cl("a")], memory, run=3, mint=mint)
    # "a" alone still claims ID-a, held by nobody else this run
    assert done.ids == ["ID-a"]
