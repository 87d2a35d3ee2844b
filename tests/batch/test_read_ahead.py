"""batch.stream.read_ahead and made_in_process: items in order from a background thread or a worker
process, its errors raised in place."""

from __future__ import annotations

import os
import threading
import time

import pytest

from newstag.batch.stream import made_in_process, read_ahead


def test_items_come_in_order_and_all_of_them() -> None:
    assert list(read_ahead(iter(range(1000)), depth=2)) == list(range(1000))
    assert list(read_ahead([])) == []


def test_items_are_made_on_another_thread_ahead_of_the_caller() -> None:
    made: list[tuple[int, str]] = []

    def items():
        for i in range(3):
            made.append((i, threading.current_thread().name))
            yield i

    it = read_ahead(items(), depth=1)
    assert next(it) == 0
    deadline = time.monotonic() + 5
    while len(made) < 2 and time.monotonic() < deadline:  # item 1 is made while the caller holds 0
        time.sleep(0.01)
    assert [i for i, _ in made[:2]] == [0, 1]
    assert all(name != threading.current_thread().name for _, name in made)
    assert list(it) == [1, 2]


def test_an_error_making_an_item_is_raised_where_that_item_would_be() -> None:
    def items():
        yield "a"
        yield "b"
        raise ValueError("line 3 is not JSON")

    got = []
    with pytest.raises(ValueError, match="line 3"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == ["a", "b"]


def test_closing_early_stops_the_thread() -> None:
    made = []

    def items():
        for i in range(10**6):
            made.append(i)
            yield i

    for item in read_ahead(items(), depth=1):
        if item == 3:
            break
    count = len(made)
    time.sleep(0.3)
    assert len(made) == count <= 6  # at most the queue's slot and the item being put
    assert not any(t.name == "newstag-read-ahead" and t.is_alive() for t in threading.enumerate())


def _square_and_pid(n: int) -> tuple[int, int]:
    if n == 7:
        raise ValueError("seven")
    return n * n, os.getpid()


def test_made_in_process_gives_each_result_in_order_from_another_process() -> None:
    results = list(made_in_process(_square_and_pid, range(6), depth=2))
    assert [square for square, _ in results] == [0, 1, 4, 9, 16, 25]
    assert {pid for _, pid in results} != {os.getpid()} and len({pid for _, pid in results}) == 1
    assert list(made_in_process(_square_and_pid, [])) == []


def test_made_in_process_raises_the_workers_error_where_its_result_would_be() -> None:
    got = []
    with pytest.raises(ValueError, match="seven"):
        for square, _ in made_in_process(_square_and_pid, range(5, 10)):
            got.append(square)
    assert got == [25, 36]  # the results before it, none after
