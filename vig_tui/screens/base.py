"""What every vig-tui screen shares: typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.binding import BindingType
from textual.screen import ModalScreen, Screen

from ..widgets.footer import DIALOG_HELP

if TYPE_CHECKING:
    from ..app import VigApp

ResultType = TypeVar("ResultType")


class VigScreen(Screen[ResultType]):
    @property
    def vig(self) -> VigApp:
        return cast("VigApp", self.app)


class VigModal(ModalScreen[ResultType]):
    BINDINGS: ClassVar[list[BindingType]] = [DIALOG_HELP]

    @property
    def vig(self) -> VigApp:
        return cast("VigApp", self.app)
