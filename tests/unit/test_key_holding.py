"""The key holder hands keys on in the order typed, and only when nothing holds them."""

from __future__ import annotations

from textual import events

from vig_tui.key_holding import KeyHolder


def key(character: str) -> events.Key:
    return events.Key(character, character)


async def test_held_keys_go_on_in_order_once_released() -> None:
    handled: list[str] = []

    async def hand_on(event: events.Key) -> None:
        handled.append(event.key)

    holder = KeyHolder(hand_on)
    await holder.read(key("a"))
    holder.hold("opening")
    for character in "bcd":
        await holder.read(key(character))
    assert handled == ["a"]
    await holder.release("opening")
    assert handled == ["a", "b", "c", "d"]


async def test_a_key_that_holds_again_keeps_the_keys_after_it() -> None:
    handled: list[str] = []
    holder: KeyHolder

    async def hand_on(event: events.Key) -> None:
        handled.append(event.key)
        if event.key == "n":
            holder.hold("page")

    holder = KeyHolder(hand_on)
    holder.hold("database")
    for character in "nSam":
        await holder.read(key(character))
    await holder.release("database")
    assert handled == ["n"]
    await holder.release("page")
    assert handled == ["n", "S", "a", "m"]


async def test_keys_can_be_dropped_when_what_they_were_typed_for_cannot_happen() -> None:
    handled: list[str] = []

    async def hand_on(event: events.Key) -> None:
        handled.append(event.key)

    holder = KeyHolder(hand_on)
    holder.hold("database")
    await holder.read(key("x"))
    await holder.release("database", drop=True)
    await holder.read(key("y"))
    assert handled == ["y"]
