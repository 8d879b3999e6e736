"""Fictitious personal numbers that look real, for the tests and the benchmarks: ID numbers with the
right check digit (GB 11643) and bank card numbers that pass the Luhn check."""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id18(first17: str) -> str:
    """The 18-digit ID number whose first 17 digits are `first17` (region, birth date, sequence)."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def luhn(prefix: str) -> str:
    """`prefix` with the check digit that makes it pass Luhn, as every bank card number does."""
    for check in "0123456789":
        number = prefix + check
        total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                    for i, d in enumerate(int(c) for c in reversed(number)))
        if total % 10 == 0:
            return number
    raise AssertionError(prefix)
