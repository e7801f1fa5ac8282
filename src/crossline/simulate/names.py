"""Names with the variation real force records show: spelling variants of one name,
nicknames, typos, swapped or partial dates of birth and numbers in mixed formats."""

from __future__ import annotations

import numpy as np

GIVEN_M = (
    "Mohammed",
    "Jon",
    "Stephen",
    "Sean",
    "Aaron",
    "Jayden",
    "Connor",
    "Tyler",
    "Kai",
    "Liam",
    "Jamal",
    "Callum",
    "Reece",
    "Jordan",
    "Daniel",
    "Kyle",
    "Ryan",
    "Marcus",
    "Dylan",
    "Ethan",
    "Leon",
    "Kieran",
    "Jake",
    "Lewis",
    "Nathan",
    "Ahmed",
    "Omar",
    "Tyrone",
    "Dwayne",
    "Michael",
    "David",
    "Paul",
    "Mark",
    "Lee",
    "Craig",
    "Darren",
    "Adam",
    "Ibrahim",
    "Yusuf",
    "Joshua",
    "Harvey",
    "Alfie",
    "Jack",
    "Oliver",
    "Harry",
)
GIVEN_F = (
    "Katherine",
    "Sarah",
    "Chloe",
    "Jade",
    "Kayleigh",
    "Leanne",
    "Shannon",
    "Amy",
    "Rebecca",
    "Gemma",
    "Danielle",
    "Aaliyah",
    "Fatima",
    "Ellie",
    "Megan",
    "Lauren",
    "Paige",
    "Tia",
    "Courtney",
    "Stacey",
    "Michelle",
    "Karen",
    "Tracey",
    "Donna",
)
FAMILY = (
    "Clark",
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Khan",
    "Ali",
    "Hussain",
    "Begum",
    "Ahmed",
    "Campbell",
    "Stewart",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Okafor",
    "Mensah",
    "Osei",
    "Adeyemi",
    "Bennett",
    "Wood",
    "Turner",
    "Jackson",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "King",
    "Baker",
    "Macdonald",
    "McDonald",
    "Phillips",
    "Mitchell",
    "Reid",
    "Graham",
    "Marshall",
    "Price",
)
# Spellings of one name that different forces record for the same person.
VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohammed": ("Muhammad", "Mohammad", "Mohamed"),
    "Jon": ("John", "Jonathan"),
    "Stephen": ("Steven", "Steve"),
    "Sean": ("Shaun", "Shawn"),
    "Aaron": ("Aron",),
    "Jayden": ("Jaden", "Jaiden"),
    "Connor": ("Conor",),
    "Katherine": ("Catherine", "Kathryn", "Kate"),
    "Kayleigh": ("Kayley", "Kaylee"),
    "Daniel": ("Danny", "Dan"),
    "Michael": ("Mike",),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Rebecca": ("Becky",),
    "Clark": ("Clarke",),
    "Clarke": ("Clark",),
    "Macdonald": ("MacDonald", "McDonald"),
    "McDonald": ("Macdonald",),
    "Ahmed": ("Ahmad",),
    "O'Brien": ("OBrien", "O Brien"),
    "Hussain": ("Hussein",),
    "Reid": ("Reed",),
}
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Queens Road",
    "Mill Lane",
    "The Crescent",
    "Albert Street",
    "Green Lane",
    "Manor Way",
    "King Street",
    "Orchard Close",
    "Beech Grove",
    "Marine Parade",
)


def variant(name: str, rng: np.random.Generator) -> str:
    """Another plausible recording of `name`: a known variant, a typo, or itself."""
    r = rng.random()
    if name in VARIANTS and r < 0.5:
        opts = VARIANTS[name]
        return opts[int(rng.integers(len(opts)))]
    if r < 0.75 and len(name) > 3:
        return typo(name, rng)
    return name


def typo(name: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, len(name) - 1))
    op = int(rng.integers(4))
    if op == 0:  # transpose
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if op == 1:  # drop
        return name[:i] + name[i + 1 :]
    if op == 2:  # double
        return name[:i] + name[i] + name[i:]
    vowels = "aeiou"
    ch = name[i]
    if ch.lower() in vowels:
        return name[:i] + vowels[int(rng.integers(5))] + name[i + 1 :]
    return name[:i] + ch + name[i + 1 :]


def phone_format(e164_digits: str, rng: np.random.Generator) -> str:
    """`e164_digits` is e.g. '447700900123'; returns it as a person or officer might type it."""
    national = "0" + e164_digits[2:]
    style = int(rng.integers(6))
    if style == 0:
        return national
    if style == 1:
        return f"{national[:5]} {national[5:]}"
    if style == 2:
        return f"+44 {national[1:5]} {national[5:]}"
    if style == 3:
        return e164_digits
    if style == 4:
        return f"(0){national[1:5]}-{national[5:]}"
    return "+" + e164_digits
