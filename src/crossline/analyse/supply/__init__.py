"""What each line sells: potential and confirmed transactions per day (Atha's method)."""

from crossline.analyse.supply.config import SupplyConfig
from crossline.analyse.supply.transactions import LineSupply, supply

__all__ = ["LineSupply", "SupplyConfig", "supply"]
