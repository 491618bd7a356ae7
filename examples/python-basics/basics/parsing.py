"""Parsing small text formats: key=value lists, integer lists, booleans, durations."""


def parse_key_values(s: str) -> dict[str, str]:
    """Parse 'k=v;k2=v2' into a dict, stripping spaces around keys and values, skipping segments without '='; later keys win."""
    result: dict[str, str] = {}
    for segment in s.split(";"):
        if "=" not in segment:
            continue
        key, value = segment.split("=", 1)
        result[key.strip()] = value.strip()
    return result


def format_key_values(d: dict[str, str]) -> str:
    """Format d as 'k=v;k2=v2' in insertion order; an empty dict gives ''."""
    return ";".join(f"{key}={value}" for key, value in d.items())


def parse_int_list(s: str) -> list[int]:
    """Parse comma-separated integers (spaces allowed around them) into a list; a blank string gives []."""
    if not s.strip():
        return []
    return [int(part) for part in s.split(",")]


def parse_bool(s: str) -> bool | None:
    """Return True for 'true'/'yes'/'1', False for 'false'/'no'/'0' (case and surrounding spaces ignored), else None."""
    word = s.strip().lower()
    if word in ("true", "yes", "1"):
        return True
    if word in ("false", "no", "0"):
        return False
    return None


def parse_duration(s: str) -> int:
    """Return the number of seconds in a duration like '1h30m15s' (units h, m, s, each optional); '' gives 0."""
    seconds_per_unit = {"h": 3600, "m": 60, "s": 1}
    total = 0
    digits = ""
    for ch in s:
        if ch.isdigit():
            digits += ch
        else:
            total += int(digits) * seconds_per_unit[ch]
            digits = ""
    return total


def extract_hashtags(text: str) -> list[str]:
    """Return, in order, each whitespace-separated word that starts with '#', without the '#' (a bare '#' is skipped)."""
    return [word[1:] for word in text.split() if word.startswith("#") and len(word) > 1]


def read_config_file(path: str) -> dict[str, str]:
    """Read a one-line 'k=v;k2=v2' file and parse it.

    Not called by any test: it must not become a training task.
    """
    with open(path, encoding="utf-8") as f:
        return parse_key_values(f.read())
