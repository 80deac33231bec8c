"""The bilateral-meeting scheduler: pure Python, plain data in and out, no Django.

Places accepted meetings into (slot, table) so that nobody is in two places at once, nobody
meets in a slot they marked unavailable, no slot holds more meetings than tables, and fixed
meetings stay where they are. Goal: the most total priority; then the most people with at
least one meeting. Also returns `bound`, a proven upper bound on the total priority any
schedule could place (a b-matching linear relaxation solved by HiGHS through SciPy).

One module per stage, in the order a run goes through them:
- problem.py: the input checked and read (`parse`, `SchedulerInputError`);
- bound.py: the proven upper bound (`upper_bound`), which also guides the search;
- construction.py: the search's state (`Schedule`), the greedy placement (`schedule`), tables;
- repair.py: what the greedy left out, placed by swaps, evictions and perturbations;
- fairness.py: at equal total, more people with at least one meeting (`spread`);
- contract.py: the entry points (`solve`, `place_one`); command.py: the command line.

Command line: python -m rencontres.networking.scheduler INPUT.json [--time-limit SECONDS]
prints the result as JSON; bad input prints a message and exits with code 2.
"""

from .bound import upper_bound
from .command import main
from .construction import Schedule, assign_tables, schedule
from .contract import default_time_limit, place_one, solve
from .fairness import spread
from .problem import Meeting, Problem, SchedulerInputError, parse

__all__ = [
    "Meeting",
    "Problem",
    "Schedule",
    "SchedulerInputError",
    "assign_tables",
    "default_time_limit",
    "main",
    "parse",
    "place_one",
    "schedule",
    "solve",
    "spread",
    "upper_bound",
]
