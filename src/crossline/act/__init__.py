"""Acting together: what forces do with a line once Crossline has found it, recorded
once and seen by every force that should see it. Services over the operational store
(tasking, deconfliction, closures, DDTROs, re-emergence, referrals, outcomes, orders,
performance); the API and the CLI are thin faces over them, and the run service calls
`checks.after_publish` after every publish. Every change is audited in the change's own
transaction; refusals are the faces' to log (they know the client and the status).
"""

from crossline.act.common import Absent, ActError, Actor, Invalid, Refused

__all__ = ["Absent", "ActError", "Actor", "Invalid", "Refused"]
