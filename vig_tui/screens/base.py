"""What every vig-tui screen shares: typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from ..app import VigApp

ResultType = TypeVar("ResultType")


class VigScreen(Screen[ResultType]):
    @property
    def vig(self) -> VigApp:
        return cast("VigApp", self.app)


class VigModal(ModalScreen[ResultType]):
    @property
    def vig(self) -> VigApp:
        return cast("VigApp", self.app)
