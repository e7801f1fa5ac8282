"""Person resolution at national scale: 1M synthetic nominal records, timed.

    .venv/bin/python bench/persons_scale.py --records 1000000

Records are generated vectorised (numpy): about 800k people drawn with Zipf-like name
frequencies from ~2,000 given names x ~20,000 family names (syllable-built, so the name
distribution has a realistic long tail), spread over 43 forces; 20% of people have a
second record at another force and 5% a third, varied as the simulator varies them (name
typos, partial or day/month-swapped dates of birth, other addresses, missing postcode,
phone on 60% of records). The store is written, then resolve_persons runs in the same
process; its wall time, records per second, peak RSS and pairwise F1 against the
generated truth are printed.

With `--realistic`, the records vary as the realistic simulator style's do (families.py):
one person in ten has a relative at the same address (a sibling with another given name
and a date of birth 1-6 years apart, a twin born the same day, or a father and son with
one full name 20-35 years apart); 10% of dates of birth are 1 January, 3% have one digit
of the year mistyped, and 4% of records hold only one name (NULL in the other).
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from crossline.analyse.persons.resolve import resolve
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import schema as s
from crossline.simulate.evaluate_persons import pairwise_score, person_of_record

logging.getLogger("splink").setLevel(logging.ERROR)

SYL = np.array(
    [
        "ba",
        "be",
        "bi",
        "bo",
        "bu",
        "da",
        "de",
        "di",
        "do",
        "ka",
        "ke",
        "ki",
        "ko",
        "la",
        "le",
        "li",
        "lo",
        "ma",
        "me",
        "mi",
        "mo",
        "na",
        "ne",
        "ni",
        "no",
        "ra",
        "re",
        "ri",
        "ro",
        "sa",
        "se",
        "si",
        "so",
        "ta",
        "te",
        "ti",
        "to",
        "va",
        "ve",
        "vi",
        "wa",
        "we",
        "wi",
        "ya",
        "yo",
        "za",
        "ze",
        "ton",
        "son",
        "ley",
        "man",
        "ford",
        "well",
        "wood",
        "field",
        "ham",
        "hurst",
    ]
)


def _names(rng: np.random.Generator, n: int, parts: int) -> np.ndarray:
    idx = rng.integers(0, len(SYL), size=(n, parts))
    out = SYL[idx[:, 0]].astype(object)
    for j in range(1, parts):
        out = out + SYL[idx[:, j]]
    return np.char.capitalize(out.astype(str))


def _zipf_pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    ranks = np.arange(1, len(pool) + 1)
    p = 1.0 / ranks**0.9
    return pool[rng.choice(len(pool), size=n, p=p / p.sum())]


def _typo(rng: np.random.Generator, names: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = names.astype(object).copy()
    for i in np.flatnonzero(mask):
        w = out[i]
        if len(w) > 3:
            k = int(rng.integers(1, len(w) - 1))
            out[i] = w[:k] + w[k + 1 :] if rng.random() < 0.5 else w[:k] + w[k] + w[k:]
    return out.astype(str)


def _families(
    rng: np.random.Generator,
    given: np.ndarray,
    family: np.ndarray,
    dob: np.ndarray,
    home: np.ndarray,
    house: np.ndarray,
    street: np.ndarray,
    given_pool: np.ndarray,
) -> None:
    """In place: the second person of each of n/20 pairs becomes the first's relative."""
    n = len(given)
    k = n // 20
    a, q = np.arange(0, 2 * k, 2), np.arange(1, 2 * k, 2)
    family[q], home[q], house[q], street[q] = family[a], home[a], house[a], street[a]
    kind = rng.random(k)
    days = rng.integers(365, 6 * 365, k) * np.where(rng.random(k) < 0.5, 1, -1)
    days = np.where(kind < 0.2, 0, days)  # twins
    father = kind >= 0.8
    days = np.where(father, -rng.integers(20 * 365, 35 * 365, k), days)
    dob[q] = dob[a] + days.astype("timedelta64[D]")
    other = _zipf_pick(rng, given_pool, k)
    given[q] = np.where(father, given[a], np.where(other == given[a], other + "a", other))


def _realistic_dates(rng: np.random.Generator, d: np.ndarray) -> np.ndarray:
    """1 January for 10% of full dates, one digit of the year mistyped for 3%."""
    out = d.astype(object).copy()
    u = rng.random(len(d))
    for i in np.flatnonzero(u < 0.13):
        x = out[i]
        if len(x) != 10:
            continue
        if u[i] < 0.1:
            out[i] = x[:4] + "-01-01"
        else:
            y = int(x[:4])
            out[i] = f"{y + (1 if y % 10 < 9 else -1)}{x[4:]}"
    return out.astype(str)


def generate(
    n_records: int, seed: int = 1, realistic: bool = False
) -> tuple[pa.Table, dict[tuple[str, str], str]]:
    rng = np.random.default_rng(seed)
    n_people = int(n_records / 1.25)
    given_pool = np.unique(_names(rng, 3000, 2))
    family_pool = np.unique(_names(rng, 30000, 3))
    given = _zipf_pick(rng, given_pool, n_people)
    family = _zipf_pick(rng, family_pool, n_people)
    dob = np.datetime64("1950-01-01") + rng.integers(0, 365 * 60, n_people).astype("timedelta64[D]")
    home = rng.integers(0, 43, n_people)
    house = rng.integers(1, 300, n_people)
    street = _zipf_pick(rng, family_pool, n_people)
    if realistic:
        given, family = given.astype(object), family.astype(object)
        _families(rng, given, family, dob, home, house, street, given_pool)
        given, family = given.astype(str), family.astype(str)
    phone = 7_400_000_000 + rng.permutation(n_people) * 7 % 599_999_999

    # records: everyone once, 20% twice, 5% three times (within a force or across)
    extra2 = rng.random(n_people) < 0.20
    extra3 = extra2 & (rng.random(n_people) < 0.25)
    pid = np.concatenate([np.arange(n_people), np.flatnonzero(extra2), np.flatnonzero(extra3)])[
        :n_records
    ]
    n = len(pid)
    dup = np.zeros(n, bool)
    dup[n_people:] = True
    force = np.where(dup & (rng.random(n) < 0.8), rng.integers(0, 43, n), home[pid])
    g = _typo(rng, given[pid], dup & (rng.random(n) < 0.25))
    f = _typo(rng, family[pid], dup & (rng.random(n) < 0.2))
    d = dob[pid].astype(str)
    u = rng.random(n)
    d = np.where(u < 0.70, d, np.where(u < 0.8, np.char.ljust(d, 7)[:, None][:, 0], d))
    d = np.array(
        [
            x[:7] if 0.7 <= v < 0.8 else x[:4] if 0.8 <= v < 0.87 else x
            for x, v in zip(d, u, strict=True)
        ]
    )
    swap = (u >= 0.87) & (u < 0.93)
    d = np.array(
        [
            f"{x[:4]}-{x[8:10]}-{x[5:7]}" if sw and len(x) == 10 and int(x[8:10]) <= 12 else x
            for x, sw in zip(d, swap, strict=True)
        ]
    )
    d = np.where(u >= 0.96, "", d)
    if realistic:
        d = _realistic_dates(rng, d)
    other = rng.random(n) < 0.3
    addr_house = np.where(other, rng.integers(1, 300, n), house[pid])
    addr_street = np.where(other, _zipf_pick(rng, family_pool, n), street[pid])
    # towns named in letters ("Ashby Ab"), as post towns are, so that the rules and levels
    # that read a town from an address (parse_address keeps letter words) take part
    letters = np.array([f"Ashby {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(43)])
    town = letters[home[pid]]
    address = np.char.add(
        np.char.add(np.char.add(addr_house.astype(str), " "), addr_street),
        np.char.add(" Road, ", town),
    )
    postcode = np.char.add(
        np.char.add("T", home[pid].astype(str)),
        np.char.add(" ", (house[pid] % 9 + 1).astype(str)),
    )
    postcode = np.char.add(postcode, np.char.add(street[pid].astype("<U1"), "Z"))
    has_phone = rng.random(n) < 0.6
    phones = [[f"+44{int(phone[p])}"] if h else None for p, h in zip(pid, has_phone, strict=True)]
    forces = np.array([f"force-{i:02d}" for i in range(43)])[force]
    record_id = np.array([f"R{i:08d}" for i in range(n)])
    fam_col, given_col = pa.array(f), pa.array(g)
    if realistic:  # one name only: NULL in the other
        v = rng.random(n)
        fam_col = pa.array([None if x < 0.015 else y for x, y in zip(v, f, strict=True)])
        given_col = pa.array([None if 0.015 <= x < 0.04 else y for x, y in zip(v, g, strict=True)])
    table = pa.table(
        {
            s.RECORD_ID: record_id,
            s.FORCE: forces,
            s.FAMILY_NAME: fam_col,
            s.GIVEN_NAMES: given_col,
            s.DATE_OF_BIRTH: pa.array([x or None for x in d.tolist()], pa.string()),
            s.SEX: pa.nulls(n, pa.string()),
            s.ADDRESS: np.where(rng.random(n) < 0.85, address, ""),
            s.POSTCODE: np.where(rng.random(n) < 0.8, postcode, ""),
            s.PHONE_NUMBERS: pa.array(phones, pa.list_(pa.string())),
            s.FLAGS: pa.nulls(n, pa.list_(pa.string())),
        }
    )
    truth = {(fo, r): str(p) for fo, r, p in zip(forces, record_id, pid, strict=True)}
    return table, truth


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--realistic", action="store_true", help="families, 1 January, one name")
    args = ap.parse_args()
    t0 = time.perf_counter()
    table, truth = generate(args.records, args.seed, args.realistic)
    tg = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        engine = DuckDBEngine(Path(tmp) / "scale.duckdb")
        try:
            engine.replace_table(s.NOMINALS.name, table)
            t0 = time.perf_counter()
            res = resolve(engine)
            tr = time.perf_counter() - t0
        finally:
            engine.close()
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    p = res.persons
    predicted = person_of_record(p)
    score = pairwise_score(predicted, truth)
    print(f"records {table.num_rows:,}  generated in {tg:.1f} s")
    print(
        f"resolve_persons {tr:.1f} s  ({table.num_rows / tr:,.0f} records/s)  "
        f"pairs scored {res.pairs_scored:,}  links {res.links:,}  peak RSS {rss_gb:.2f} GB"
    )
    print(f"pairwise {score.row()}")
    for stage, (wall, cpu) in res.timings.items():
        print(f"  {stage:12s} {wall:7.1f} s wall  {cpu:7.1f} s CPU")
    for note in res.notes:
        print("  note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
