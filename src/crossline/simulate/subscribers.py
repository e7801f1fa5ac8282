"""What the phone providers hold: subscriber details of personal numbers (not of the
burners runners carry), of the businesses behind look-alike numbers, and the bare IMEI of
deal phones, a new SIM often going into the same handset."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from crossline.model import schema as s

if TYPE_CHECKING:
    from crossline.simulate.records import _Builder
    from crossline.simulate.world import World


def subscribers(w: World, b: _Builder) -> None:
    from crossline.simulate.records import e164, identity

    rng = b.rng
    burners = {p for line in w.lines for p in (r.person for r in line.runners)}
    for p in range(w.n_people):
        if p in burners or rng.random() > 0.5:
            continue
        ident = identity(w, p)
        b.out.subscribers.append(
            {
                s.NUMBER: e164(int(w.number[p])),
                s.IMEI: f"35{rng.integers(10**12, 10**13)}",
                s.IMSI: f"23415{rng.integers(10**9, 10**10)}",
                s.REGISTERED_NAME: f"{ident.given} {ident.family}",
                s.REGISTERED_ADDRESS: ident.address,
                s.POSTCODE: ident.postcode,
                s.ACTIVATED_ON: (
                    w.cfg.start - timedelta(days=int(rng.integers(30, 3000)))
                ).isoformat(),
            }
        )
    for lk in w.lookalikes:
        if lk.person is None:
            b.out.subscribers.append(
                {
                    s.NUMBER: e164(lk.number),
                    s.IMEI: "",
                    s.IMSI: "",
                    s.REGISTERED_NAME: f"{w.places[lk.place].name} {lk.kind.replace('_', ' ')} Ltd",
                    s.REGISTERED_ADDRESS: f"Unit {int(rng.integers(1, 40))}, "
                    f"{w.places[lk.place].name}",
                    s.POSTCODE: "",
                    s.ACTIVATED_ON: "",
                }
            )
    # deal phones: no subscriber details; a new SIM often goes into the same handset
    for line in w.lines:
        imei = f"35{rng.integers(10**12, 10**13)}"
        for dn in line.deals:
            if rng.random() < 0.5:
                imei = f"35{rng.integers(10**12, 10**13)}"
            if rng.random() < 0.6:
                b.out.subscribers.append(
                    {
                        s.NUMBER: e164(dn.number),
                        s.IMEI: imei,
                        s.IMSI: "",
                        s.REGISTERED_NAME: "",
                        s.REGISTERED_ADDRESS: "",
                        s.POSTCODE: "",
                        s.ACTIVATED_ON: (w.cfg.start + timedelta(days=dn.first_day)).isoformat(),
                    }
                )
