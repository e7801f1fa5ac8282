"""The domain, declared once: every other layer derives its tables, validators and exports
from these declarations, so a contract column name is spelled in exactly one place."""
