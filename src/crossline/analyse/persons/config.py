"""Every parameter of person resolution, typed and documented, in one place.

None of these is a model weight: the Fellegi-Sunter m and u probabilities are estimated by
Splink from the records being resolved (u by random sampling, m by expectation
maximisation). What is set here is how much work training and prediction may do, how sure
a link must be before two records become one person, and the seed that makes the result
repeatable. Override them in code or in crossline.toml under [persons].
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class PersonsConfig(BaseModel):
    match_threshold: float = Field(
        0.9,
        gt=0.0,
        lt=1.0,
        description="Posterior probability at or above which two records are linked. "
        "Persons are the connected components of these links. High, because a false "
        "merge puts one person's history on another (a wrong safeguarding or "
        "enforcement decision), while a missed link only leaves two records apart. "
        "0.9 rather than 0.99: the same full name in the same town with nothing "
        "against is a person in a force area's records, and should link.",
    )
    predict_floor: float = Field(
        0.01,
        ge=0.0,
        lt=1.0,
        description="Scored pairs below this probability are dropped straight after "
        "prediction: they can never link and would only cost memory at scale.",
    )
    seed: int = Field(
        20_260_301,
        description="Seed of Splink's random sampling for u, so a store always resolves "
        "to the same persons.",
    )
    u_max_pairs: float = Field(
        2e6,
        gt=0,
        description="Random record pairs sampled to estimate u (how often two different "
        "people agree by chance). Millions suffice for the few levels a nominal "
        "comparison has; more costs time at scale for no gain.",
    )
    em_max_pairs: float = Field(
        2e6,
        gt=0,
        description="Blocked pairs per expectation-maximisation session (Splink samples "
        "records deterministically to stay under it).",
    )
    m_floor: float = Field(
        0.002,
        gt=0.0,
        lt=0.1,
        description="Smallest m probability a trained level keeps. EM over a few hundred "
        "true pairs drives the m of a level it never sees among them (a completely "
        "different family name, dates of birth a year apart) to zero, which would make "
        "one such disagreement veto any match. 0.002 caps a single disagreement at about "
        "nine bits of evidence against.",
    )
    min_records_to_train: int = Field(
        1_000,
        ge=2,
        description="Below this many records the u and m probabilities cannot be "
        "estimated (a few hundred records hold too few chance agreements on a date of "
        "birth, and too few true pairs for EM); the model's documented starting values "
        "are used instead. They are general facts of record keeping (see "
        "persons_model), not fitted to any dataset.",
    )
    probability_two_random_records_match: float | None = Field(
        None,
        gt=0.0,
        lt=1.0,
        description="Prior that two random records are one person. None: estimate it "
        "from the records with deterministic rules (shared phone number; same name and "
        "full date of birth).",
    )
    deterministic_rules_recall: float = Field(
        0.7,
        gt=0.0,
        le=1.0,
        description="Share of true pairs the deterministic rules are assumed to find "
        "when estimating the prior above: a shared number or identical name and date "
        "of birth are recorded for most but not all duplicates.",
    )
    threads: int | None = Field(
        None,
        ge=1,
        description="Threads of Splink's DuckDB connection (None: every core). Scoring "
        "the candidate pairs is most of the cost of resolution and parallelises.",
    )
    memory_limit: str = Field(
        "8GB",
        description="Memory limit of Splink's DuckDB connection; beyond it DuckDB spills "
        "to disk instead of failing.",
    )
    postcode_block_max_records: int = Field(
        25,
        ge=2,
        description="A postcode alone blocks (makes its records candidate pairs) only "
        "where at most this many records share it. A British postcode unit holds about "
        "15 addresses, so two records there are near neighbours at most; a postcode "
        "with more records is an institution (a prison, a hostel, a police station) or "
        "a placeholder, where the postcode says little and pairing every record would "
        "cost up to n^2/2 comparisons. The cap bounds this rule to fewer than "
        "n * max / 2 pairs for n records.",
    )
    generation_gap_years: int | None = Field(
        15,
        ge=1,
        description="Two records whose dates of birth are at least this many years apart "
        "are never one person (unless the full dates differ only in one digit of the "
        "year, a typing slip): a father and the son named after him at one address share "
        "everything else. Fifteen years is below any parent's age at a child's birth and "
        "well above the slips a date of birth is recorded with. None: off. The rule is "
        "also dropped, with a note, where the records show their dates of birth to be "
        "noise (see generation_beyond_years).",
    )
    generation_beyond_years: int = Field(
        60,
        ge=1,
        description="No parent is this many years older than a child. Among records of "
        "one full name at one address whose full dates of birth are at least "
        "generation_gap_years apart, pairs further apart than this are not a father and "
        "son but dates replaced wholesale (FEBRL's corruption, a system writing noise); "
        "where they are at least generation_noise_share of such pairs (and at least "
        "generation_noise_min_pairs), a gap says nothing about generations and the rule "
        "is not applied.",
    )
    generation_noise_share: float = Field(0.1, gt=0, le=1)
    generation_noise_min_pairs: int = Field(3, ge=1)
    twins_rule: bool = Field(
        True,
        description="A plainly different given name (not a variant, nickname, initial or "
        "slip of the other) keeps two records apart whatever else they share: twins of "
        "one sex share a surname, a date of birth and an address. Not applied, with a "
        "note, where the data's names are replaced rather than typed (see "
        "name_noise_share); off: left to the model's weights and the date rules.",
    )
    name_noise_share: float = Field(
        0.25,
        gt=0,
        le=1,
        description="Among records of one full date of birth at one address, pairs of one "
        "given name with plainly different family names are what no family explains "
        "(twins share a surname): where they are at least this share of the pairs of one "
        "family name with plainly different given names (and at least "
        "name_noise_min_pairs), names are replaced wholesale (FEBRL's corruption) and the "
        "twins rule is not applied.",
    )
    name_noise_min_pairs: int = Field(3, ge=1)
    max_cluster_size: int = Field(
        50,
        ge=2,
        description="A person held by more records than this is implausible (one record "
        "per force, a few per force at most); larger components are split by raising "
        "the link threshold inside them until they fall apart.",
    )
