"""Integer arithmetic, from one-liners to Roman numerals.

Named `arithmetic` rather than `math`/`numbers` so it never shadows a standard-library module.
"""

# Value/symbol pairs, largest first, including the subtractive forms (CM, XC, IV...).
ROMAN_NUMERALS = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"),
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def add(a: int, b: int) -> int:
    """Return the sum of a and b."""
    return a + b


def square(n: int) -> int:
    """Return n multiplied by itself."""
    return n * n


def is_even(n: int) -> bool:
    """Return True if n is divisible by 2 (negative numbers included)."""
    return n % 2 == 0


def sign(n: int) -> int:
    """Return -1 if n is negative, 0 if n is zero and 1 if n is positive."""
    if n < 0:
        return -1
    return 1 if n > 0 else 0


def clamp(x: int, lo: int, hi: int) -> int:
    """Return x limited to the inclusive range [lo, hi] (assumes lo <= hi)."""
    return max(lo, min(x, hi))


def mean(xs: list[float]) -> float:
    """Return the arithmetic mean of xs, or 0.0 if xs is empty."""
    if not xs:
        return 0.0
    return sum(xs) / len(xs)


def fizzbuzz_value(n: int) -> str:
    """Return 'FizzBuzz' if n is divisible by 15, 'Fizz' if by 3, 'Buzz' if by 5, else str(n)."""
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)


def factorial(n: int) -> int:
    """Return n! for n >= 0, where 0! is 1."""
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


def fibonacci(n: int) -> int:
    """Return the n-th Fibonacci number for n >= 0, with fibonacci(0) == 0 and fibonacci(1) == 1."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def is_prime(n: int) -> bool:
    """Return True if n is a prime number; 0, 1 and negative numbers are not prime."""
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def gcd(a: int, b: int) -> int:
    """Return the greatest common divisor of a and b as a non-negative int; gcd(0, 0) is 0."""
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a


def digit_sum(n: int) -> int:
    """Return the sum of the decimal digits of n, ignoring its sign."""
    return sum(int(d) for d in str(abs(n)))


def to_roman(n: int) -> str:
    """Return n (1 to 3999) written in Roman numerals, e.g. 1994 -> 'MCMXCIV'."""
    parts: list[str] = []
    for value, symbol in ROMAN_NUMERALS:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(s: str) -> int:
    """Return the value of a valid upper-case Roman numeral, e.g. 'MCMXCIV' -> 1994."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(s):
        value = values[ch]
        # A smaller symbol before a larger one is subtracted (the I in IV).
        if i + 1 < len(s) and value < values[s[i + 1]]:
            total -= value
        else:
            total += value
    return total


def percent(part: float, whole: float) -> float:
    """Return part as a percentage of whole, or 0.0 when whole is 0.

    Not called by any test: it must not become a training task.
    """
    if whole == 0:
        return 0.0
    return 100.0 * part / whole
