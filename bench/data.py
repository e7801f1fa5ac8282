"""Benchmark datasets: simulated worlds sized to about 1M, 10M and 100M comms rows, written
as Parquet parts under bench/out/<size>/data and kept there so reruns skip generation."""

from __future__ import annotations

import glob
import json
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

# people and lines scale together (one line per 1,000 people); 90 days of traffic gives
# about 50 comms rows per person, so 20k people make about 1M rows.
SIZES: dict[str, tuple[int, int, int]] = {
    "1M": (20, 20_000, 90),
    "10M": (200, 200_000, 90),
    "100M": (2_000, 2_000_000, 90),
}


def comms_parts(data_dir: Path) -> list[str]:
    return sorted(glob.glob(str(data_dir / "comms" / "*.parquet")))


def comms_rows(data_dir: Path) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in comms_parts(data_dir))


def ensure_world(size: str, out: Path) -> dict[str, object]:
    """Generate the world for `size` unless bench/out/<size>/data is complete. A size
    with a style after a dash ("100M-realistic") is that style's world of the same size;
    without one, the simulator's own style (the worlds every earlier figure was taken on)."""
    from crossline.simulate.config import WorldConfig
    from crossline.simulate.writer import write_world

    base, _, style = size.partition("-")
    lines, people, days = SIZES[base]
    data = out / size / "data"
    done = out / size / "generated.json"
    if done.exists():
        return dict(json.loads(done.read_text()))
    t0 = time.perf_counter()
    cfg = WorldConfig(lines=lines, people=people, days=days, style=style or "own")
    write_world(cfg, data, fmt="parquet")
    info: dict[str, object] = {
        "style": cfg.style,
        "lines": lines,
        "people": people,
        "days": days,
        "rows": comms_rows(data),
        "generate_s": round(time.perf_counter() - t0, 1),
    }
    done.write_text(json.dumps(info))
    return info


if __name__ == "__main__":
    for size in sys.argv[2].split(","):
        print(size, ensure_world(size, Path(sys.argv[1])), flush=True)
