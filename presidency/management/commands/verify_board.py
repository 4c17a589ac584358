"""Recompute a round's ballot board: ``manage.py verify_board 2026 1`` checks the stored
round against its sealed board and the digest mailed at the close; ``--file`` checks a
downloaded board alone, as a city would (with ``--digest``, against the mailed digest)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from presidency import board, selectors, services


class Command(BaseCommand):
    help = "Recompute a closed round's ballot board: its chain, its count and its final digest."

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int, help="The election's summit year.")
        parser.add_argument("round", nargs="?", type=int, help="The round's number.")
        parser.add_argument("--file", help="A downloaded board (JSON) to check on its own.")
        parser.add_argument("--digest", help="The final digest mailed at the close.")

    def handle(self, *args, year=None, round=None, file=None, digest=None, **options):  # noqa: A002
        if file:
            try:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
                result = board.verify(document, expected_digest=digest)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{file}: not a ballot board ({exc})") from exc
        else:
            if year is None or round is None:
                raise CommandError("Give the election's year and the round, or --file.")
            found = selectors.closed_round(year, round)
            if found is None:
                raise CommandError(f"No closed round {round} in the {year} election.")
            try:
                result = services.verify_round_board(round=found)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            if digest and digest != found.board_digest:
                result.problems.append(f"the round's digest is not {digest}")
        counts = ", ".join(f"{name} {n}" for name, n in result.count.items())
        self.stdout.write(f"final digest {result.digest}")
        self.stdout.write(f"count: {counts}; abstentions {result.abstentions}")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"MISMATCH: {problem}")
            raise CommandError("The board does not verify.")
        self.stdout.write(self.style.SUCCESS("The board verifies."))
