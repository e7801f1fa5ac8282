"""True harm for the priority figure, with and without the victims no record links."""

from __future__ import annotations

from pathlib import Path

from crossline.simulate.evaluate_risk import true_harm, untraceable


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
