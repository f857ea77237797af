"""How often a client may guess the editor password: freely five times, then it waits
30 s, then 60 s, 120 s … (at most an hour) before each further guess; a right password
clears its count. One count per client address, kept for the whole server process, so
opening more sessions or tabs does not help; a client Streamlit gives no address for
(through localhost, or a proxy that does not pass the address on) shares one count
with every other such client."""
from __future__ import annotations

import threading
import time

FREE_GUESSES = 5
FIRST_WAIT = 30.0
LONGEST_WAIT = 3600.0
FORGET_AFTER = 24 * 3600.0      # a count untouched this long starts again from zero
MOST_KEYS = 10_000              # addresses counted apart; beyond, new ones share one count
OVERALL = "(no address)"


class Throttle:
    """Failed attempts per key, and the wait each key is under. ``clock`` is
    injectable so that tests move time instead of sleeping through it."""

    def __init__(self, free: int = FREE_GUESSES, first_wait: float = FIRST_WAIT, longest: float = LONGEST_WAIT,
                 clock=time.monotonic):
        self.free, self.first_wait, self.longest, self.clock = free, first_wait, longest, clock
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, float, float]] = {}   # key → (failures, last failure, free again at)

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        with self._lock:
            entry = self._current(self._key(key))
            return max(0.0, entry[2] - self.clock()) if entry else 0.0

    def failed(self, key: str) -> float:
        """Count a failure; the wait it brings (0 while guesses are still free)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            key = self._key(key)
            failures = (self._current(key) or (0, now, now))[0] + 1
            over = failures - self.free
            wait = 0.0 if over < 0 else min(self.first_wait * 2 ** over, self.longest)
            self._state[key] = (failures, now, now + wait)
            return wait

    def succeeded(self, key: str):
        with self._lock:
            self._state.pop(self._key(key), None)

    def failures(self, key: str) -> int:
        with self._lock:
            entry = self._current(self._key(key))
            return entry[0] if entry else 0

    def reset(self):
        with self._lock:
            self._state.clear()

    def _key(self, key: str) -> str:
        """The key itself while there is room for it; else the shared one, so that a
        flood of addresses costs bounded memory and shares one wait."""
        return key if key in self._state or len(self._state) < MOST_KEYS else OVERALL

    def _current(self, key: str):
        entry = self._state.get(key)
        if entry is not None and self.clock() - entry[1] > FORGET_AFTER:
            del self._state[key]
            return None
        return entry

    def _forget_old(self, now: float):
        """Drop counts nobody has touched for a day."""
        if len(self._state) >= MOST_KEYS:
            for key in [k for k, (_, last, _) in self._state.items() if now - last > FORGET_AFTER]:
                del self._state[key]


# The one counter of this server process, shared by every session.
SIGN_IN = Throttle()
