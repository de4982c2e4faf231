"""The command line's parser, with argparse's own error words made plain.

argparse says "invalid choice: 'nurse' (choose from 'health_visitor', ...)" and
"unrecognized arguments"; vig-tui's messages do not call what someone typed
invalid (the house's GOV.UK habit), so those few messages are reworded here, for
every command and its subcommands (argparse makes them of the same class).
"""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

_CHOICE = re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$", re.S)
_TYPE = re.compile(r"invalid (?P<type>[\w.]+) value: (?P<value>.+)$", re.S)
_UNKNOWN = re.compile(r"^unrecognized arguments: (?P<words>.+)$", re.S)
_TYPE_WORDS = {"int": "a whole number", "float": "a number"}


def plain_words(message: str) -> str:
    """argparse's ``message`` without "invalid" or "unrecognized"; any other as it is."""
    if match := _CHOICE.search(message):
        said = f"{match['value']} is not one of the choices: use one of {match['choices']}"
        return message[: match.start()] + said
    if match := _TYPE.search(message):
        kind = _TYPE_WORDS.get(match["type"], f"a {match['type']} value")
        return message[: match.start()] + f"{match['value']} is not {kind}"
    if match := _UNKNOWN.search(message):
        return f"vig-tui does not know {match['words']} here (see --help)"
    return message


class VigArgumentParser(argparse.ArgumentParser):
    """argparse's parser, its error messages in plain words (:func:`plain_words`)."""

    def error(self, message: str) -> NoReturn:
        super().error(plain_words(message))
