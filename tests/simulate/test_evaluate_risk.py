"""True harm for the priority figure, with and without the victims no record links; and
how much of each listed victim the list puts on their own line."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from crossline.model import evidence as ev
from crossline.model.evidence import Factor
from crossline.simulate.evaluate_risk import true_harm, untraceable
from crossline.simulate.evaluate_safeguard import evaluate_safeguarding


def _write(path: Path, text: str) -> None:
    path.write_text(text.strip() + "\n", encoding="utf-8")


def test_victims_no_record_links_count_only_in_true_harm(tmp_path: Path) -> None:
    truth = tmp_path / "truth"
    truth.mkdir()
    _write(truth / "README.md", "start=2026-03-01")
    _write(
        truth / "lines.csv",
        """
line_id,holder_person_id,runner_person_ids,cuckooed_person_ids,deal_numbers
L1,P0,P1;P2,P3,+447700900001
""",
    )
    _write(
        truth / "persons.csv",
        """
person_id,date_of_birth,vulnerable
P0,1990-01-01,false
P1,2010-05-05,false
P2,2011-06-06,false
P3,1970-02-02,true
""",
    )
    _write(truth / "nominals.csv", "force,record_id,person_id\nf,N2,P2\nf,N0,P0")
    _write(
        truth / "safeguarding.csv",
        """
person_id,reasons,line_ids,traceable
P1,child_runner,L1,true
P2,child_runner,L1,false
P3,cuckooed_address;vulnerable_adult,L1,true
""",
    )
    _write(
        tmp_path / "events.csv",
        """
event_id,force,event_type,occurred_at,nominal_record_id
e1,f,missing_episode,2026-03-05T10:00:00,N2
e2,f,violence_incident,2026-03-06T10:00:00,N0
""",
    )
    hidden = untraceable(truth)
    assert hidden == {"P2"}
    # two children 10 each, a vulnerable adult 6, P2's missing episode 2, the holder's
    # violence incident 6
    assert true_harm(truth) == {"L1": 34.0}
    assert true_harm(truth, hidden) == {"L1": 22.0}


def test_victims_on_their_own_line_is_the_share_their_entry_gives_it(tmp_path: Path) -> None:
    """P1 runs for L1, P3 is cuckooed by L2. The list puts P1 on CL-A alone (right) and P3
    a quarter on CL-B and three quarters on CL-A: (1 + 0.25) / 2."""
    truth = tmp_path / "truth"
    truth.mkdir()
    _write(
        truth / "lines.csv",
        "line_id,deal_numbers\nL1,+447700900001;+447700900002\nL2,+447700900003",
    )
    _write(truth / "nominals.csv", "force,record_id,person_id\nf,N1,P1\nf,N3,P3")
    _write(
        truth / "safeguarding.csv",
        "person_id,reasons,line_ids,traceable\nP1,child_runner,L1,true\n"
        "P3,cuckooed_address,L2,true",
    )
    register = pa.Table.from_pylist(
        [
            {"line_id": "CL-A", "deal_numbers": "+447700900001;+447700900002"},
            {"line_id": "CL-B", "deal_numbers": "+447700900003"},
        ]
    )
    shares = [
        Factor("line_share", 0.75, "", subject="CL-A"),
        Factor("line_share", 0.25, "", subject="CL-B"),
    ]
    listed = pa.Table.from_pylist(
        [
            {"person_id": "X1", "line_ids": "CL-A", "evidence_factors": ev.to_json([])},
            {"person_id": "X3", "line_ids": "CL-A;CL-B", "evidence_factors": ev.to_json(shares)},
        ]
    )
    persons = pa.Table.from_pylist(
        [
            {"person_id": "X1", "force": "f", "record_id": "N1"},
            {"person_id": "X3", "force": "f", "record_id": "N3"},
        ]
    )
    got = evaluate_safeguarding(listed, persons, truth, register)
    assert got.on_true_line == 0.625
    assert got.precision == 1.0
