"""The scheduler on the command line: python -m rencontres.networking.scheduler INPUT.json
[--time-limit SECONDS] prints the result as JSON; bad input prints a message and exits with
code 2."""

import argparse
import json
import sys

from .contract import solve
from .problem import SchedulerInputError

DESCRIPTION = "The bilateral-meeting scheduler: pure Python, plain data in and out, no Django."


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rencontres.networking.scheduler", description=DESCRIPTION
    )
    parser.add_argument("input", help="the input JSON file ('-' for standard input)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds of search (default: from the instance's size)",
    )
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.input, encoding="utf-8") as file:
                data = json.load(file)
        result = solve(data, time_limit=args.time_limit)
    except (OSError, json.JSONDecodeError) as error:
        print(f"error: cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    except SchedulerInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0
