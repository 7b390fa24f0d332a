"""Text clean-up shared by every input path (forms, imports, commands)."""

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space


def fold_width(value: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms."""
    return value.translate(_FULL_WIDTH)


def clean(value) -> str:
    """Trimmed text with full-width forms folded; None and blanks become ''."""
    if value is None:
        return ""
    return fold_width(str(value)).strip()
