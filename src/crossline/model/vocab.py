"""Closed vocabularies of the data contract.

Declared as enums so that ingest validation, the simulator and exports all draw from the
same lists; adding a value here is the only way to extend the contract's vocabularies.
"""

from __future__ import annotations

from enum import StrEnum


class CommsKind(StrEnum):
    CALL = "call"
    SMS = "sms"


class EventType(StrEnum):
    ARREST = "arrest"
    CHARGE_DRUGS_SUPPLY = "charge_drugs_supply"
    CHARGE_MODERN_SLAVERY = "charge_modern_slavery"
    CONVICTION = "conviction"
    STOP_SEARCH = "stop_search"
    MISSING_EPISODE = "missing_episode"
    FOUND_AFTER_MISSING = "found_after_missing"
    SAFEGUARDING_REFERRAL = "safeguarding_referral"
    NRM_REFERRAL = "nrm_referral"
    CUCKOOING_REPORT = "cuckooing_report"
    DRUGS_SEIZURE = "drugs_seizure"
    CASH_SEIZURE = "cash_seizure"
    WEAPON_SEIZURE = "weapon_seizure"
    VIOLENCE_INCIDENT = "violence_incident"
    COMMUNITY_INTELLIGENCE = "community_intelligence"
    TRO_APPLICATION = "tro_application"
    TRO_GRANTED = "tro_granted"
    LINE_CLOSURE = "line_closure"


class NominalFlag(StrEnum):
    CHILD_LOOKED_AFTER = "child_looked_after"
    VULNERABLE_ADULT = "vulnerable_adult"
    MISSING_HISTORY = "missing_history"
    VIOLENCE = "violence"
    WEAPONS = "weapons"
    DRUGS_SUPPLY = "drugs_supply"
    GANG_ASSOCIATE = "gang_associate"
    MODERN_SLAVERY_VICTIM = "modern_slavery_victim"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class SubjectKind(StrEnum):
    """POLE: what an intelligence report is about."""

    NOMINAL = "nominal"
    PHONE = "phone"
    ADDRESS = "address"
    VEHICLE = "vehicle"


class SourceEvaluation(StrEnum):
    """First axis of the College of Policing 3x5x2 grading."""

    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    """Second axis of the 3x5x2 grading."""

    KNOWN_DIRECTLY = "A"
    KNOWN_INDIRECTLY_CORROBORATED = "B"
    KNOWN_INDIRECTLY = "C"
    NOT_KNOWN = "D"
    SUSPECTED_FALSE = "E"


class HandlingCode(StrEnum):
    """Third axis of the 3x5x2 grading; travels with the data to every reader."""

    PERMITTED = "P"
    CONDITIONS = "C"


class Referral(StrEnum):
    NRM = "nrm"
    STATUTORY_SAFEGUARDING = "statutory_safeguarding"
    BOTH = "both"


class SafeguardReason(StrEnum):
    CHILD_RUNNER = "child_runner"
    MISSING_EPISODE_LINKED = "missing_episode_linked"
    CUCKOOED_ADDRESS = "cuckooed_address"
    VULNERABLE_ADULT = "vulnerable_adult"
    RUNNER_AGE_UNKNOWN = "runner_age_unknown"  # may be a child: age to be established
    # a child whose phone is in touch with a line's deal phone or controller
    CHILD_LINE_CONTACT = "child_line_contact"
    # a vulnerable adult at whose home (their phone's mast) a line's phones dwell
    LINE_PHONES_AT_HOME = "line_phones_at_home"
    # a child whose phone the register takes for a line's controller: never a holder only
    CHILD_NAMED_HOLDER = "child_named_holder"


# Words forces write for a sex, accepted beside the codes (matched case-insensitively).
SEX_WORDS: dict[str, Sex] = {
    "male": Sex.MALE,
    "man": Sex.MALE,
    "female": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "unknown": Sex.UNKNOWN,
    "not known": Sex.UNKNOWN,
    "not stated": Sex.UNKNOWN,
    "indeterminate": Sex.UNKNOWN,
}
