from basics.arithmetic import (
    add,
    clamp,
    digit_sum,
    factorial,
    fibonacci,
    fizzbuzz_value,
    from_roman,
    gcd,
    is_even,
    is_prime,
    mean,
    sign,
    square,
    to_roman,
)


def test_add_positive():
    assert add(2, 3) == 5


def test_add_negative():
    assert add(-4, 1) == -3


def test_add_zero():
    assert add(0, 0) == 0
    assert add(7, 0) == 7


def test_square_positive():
    assert square(4) == 16


def test_square_negative():
    assert square(-3) == 9


def test_square_zero_and_one():
    assert square(0) == 0
    assert square(1) == 1


def test_is_even_true():
    assert is_even(10) is True


def test_is_even_false():
    assert is_even(7) is False


def test_is_even_zero_and_negative():
    assert is_even(0) is True
    assert is_even(-3) is False
    assert is_even(-4) is True


def test_sign_negative():
    assert sign(-12) == -1


def test_sign_zero():
    assert sign(0) == 0


def test_sign_positive():
    assert sign(5) == 1


def test_clamp_inside():
    assert clamp(5, 0, 10) == 5


def test_clamp_below():
    assert clamp(-3, 0, 10) == 0


def test_clamp_above():
    assert clamp(42, 0, 10) == 10
    assert clamp(-1, -5, -2) == -2


def test_mean_integers():
    assert mean([1, 2, 3, 4]) == 2.5


def test_mean_single():
    assert mean([7.5]) == 7.5


def test_mean_empty():
    assert mean([]) == 0.0


def test_fizzbuzz_value_fizz():
    assert fizzbuzz_value(9) == "Fizz"


def test_fizzbuzz_value_buzz():
    assert fizzbuzz_value(10) == "Buzz"


def test_fizzbuzz_value_fizzbuzz():
    assert fizzbuzz_value(30) == "FizzBuzz"


def test_fizzbuzz_value_number():
    assert fizzbuzz_value(7) == "7"


def test_factorial_small():
    assert factorial(5) == 120


def test_factorial_zero_and_one():
    assert factorial(0) == 1
    assert factorial(1) == 1


def test_factorial_larger():
    assert factorial(10) == 3628800


def test_fibonacci_start():
    assert fibonacci(0) == 0
    assert fibonacci(1) == 1


def test_fibonacci_small():
    assert fibonacci(7) == 13


def test_fibonacci_larger():
    assert fibonacci(30) == 832040


def test_is_prime_primes():
    assert is_prime(2) is True
    assert is_prime(13) is True


def test_is_prime_composites():
    assert is_prime(9) is False
    assert is_prime(91) is False


def test_is_prime_small_and_negative():
    assert is_prime(1) is False
    assert is_prime(0) is False
    assert is_prime(-7) is False


def test_gcd_basic():
    assert gcd(12, 18) == 6


def test_gcd_coprime():
    assert gcd(17, 5) == 1


def test_gcd_zero_and_negative():
    assert gcd(0, 9) == 9
    assert gcd(-8, 12) == 4
    assert gcd(0, 0) == 0


def test_digit_sum_positive():
    assert digit_sum(1234) == 10


def test_digit_sum_negative():
    assert digit_sum(-56) == 11


def test_digit_sum_zero():
    assert digit_sum(0) == 0


def test_to_roman_small():
    assert to_roman(3) == "III"


def test_to_roman_subtractive():
    assert to_roman(4) == "IV"
    assert to_roman(90) == "XC"


def test_to_roman_large():
    assert to_roman(1994) == "MCMXCIV"


def test_from_roman_small():
    assert from_roman("VIII") == 8


def test_from_roman_subtractive():
    assert from_roman("XLIX") == 49


def test_from_roman_large():
    assert from_roman("MMXXIV") == 2024
