"""A synthetic county-lines world with ground truth, for demos and for measuring every
analysis (precision, recall, F1) against what really happened."""
