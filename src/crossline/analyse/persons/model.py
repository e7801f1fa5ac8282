"""The Fellegi-Sunter model that decides whether two nominal records are one person.

Each comparison splits a record pair into levels from strong agreement to disagreement;
Splink learns from the records how often true pairs (m) and chance pairs (u) fall in each
level and adds up the log-likelihood ratios. The levels encode how force records of one
person really differ, so that each kind of difference gets its own learned weight instead
of counting as a plain mismatch:

- names: exact (with term-frequency adjustment, so Smith agreeing says less than Okafor
  agreeing), the same canonical name from the variants table (Muhammad/Mohammed,
  Jon/Jonathan), given and family name swapped, one edit apart (a typo), a variant of
  one a slip from the other (Steve / Stepehn, read Stephen), Jaro-Winkler
  close, two edits apart with the same initial (two records each with its own slip:
  Jhonson and Joohnson for one Johnson), different;
- date of birth: exact, day and month swapped, within a week, agreeing as far as a partial
  date goes (year-month, also against the other date read day-first, or year only),
  same month or year of two full dates, within a year, different;
- phone numbers: any number in common (the strongest evidence there is: a phone belongs
  to one person), numbers known on both sides but none shared;
- postcode (exact, same sector, same outward code), address (exact, same house number
  and street, same street at another number, close, same town), sex.

The comparisons are in comparisons.py, the blocking rules in blocking.py. The starting m
and u values there are general facts of record keeping (a date of birth agrees by chance
about once in 5,000 pairs; most duplicates carry the same surname) and are only used as
they stand when there are too few records to train on.
"""

from __future__ import annotations

from splink import SettingsCreator

from crossline.analyse.persons import prepare as p
from crossline.analyse.persons.blocking import prediction_blocking_rules
from crossline.analyse.persons.comparisons import (
    address_comparison,
    dob_comparison,
    name_comparison,
    phone_comparison,
    postcode_comparison,
    sex_comparison,
)


def settings(prior: float, tf: bool = True, max_iterations: int = 10) -> SettingsCreator:
    """The model. `tf` turns on term-frequency adjustment of exact name matches; it is
    off for small inputs, where a name's frequency is dominated by the very pair being
    scored (two records of one Sean Reid among 80 make 'sean' look common)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=p.UID,
        probability_two_random_records_match=prior,
        comparisons=[
            name_comparison(p.GIVEN, p.GIVEN_CANON, "given_names", 0.7, tf),
            name_comparison(p.FAMILY, p.FAMILY_CANON, "family_name", 0.72, tf),
            dob_comparison(),
            phone_comparison(),
            postcode_comparison(),
            address_comparison(),
            sex_comparison(),
        ],
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=max_iterations,
    )
