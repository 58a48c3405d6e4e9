"""Plain-text helpers shared by the models, the topic parser and the templates."""


def lines(text):
    """The non-blank lines of a one-per-line field (aliases, authors, questions), stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
