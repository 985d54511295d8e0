"""Errors that carry a location, so every message names the file and the position."""

from __future__ import annotations


#: The longest value an error message quotes (an id, a line, a file name); longer ones are cut.
MAX_QUOTE = 200


def shorten(text: str, limit: int = MAX_QUOTE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


class GaoxinError(Exception):
    """Base class: a one-line, user-facing message."""


class InputError(GaoxinError):
    """A source page that cannot be read: names the file and the byte or character offset."""

    def __init__(self, path: str, position: str, problem: str) -> None:
        self.path, self.position, self.problem = path, position, problem
        super().__init__(f"{path}:{position}: {problem}")

    def __reduce__(self):  # picklable: a worker process of a parallel build sends it back
        return type(self), (self.path, self.position, self.problem)


class AccountingError(GaoxinError):
    """Layout analysis dropped or duplicated a source character."""

    def __init__(self, source: str, offset: int, problem: str) -> None:
        self.source, self.offset, self.problem = source, offset, problem
        super().__init__(f"{source}: character offset {offset}: {problem}")

    def __reduce__(self):
        return type(self), (self.source, self.offset, self.problem)


class AnnotationError(GaoxinError):
    """Annotation spans that no longer match the corpus text: lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = f"{len(problems)} annotation problem(s), one per line:"
        super().__init__("\n".join([head, *("  " + p for p in problems)]))

    def __reduce__(self):
        return type(self), (self.problems,)


class ImportProblems(GaoxinError):
    """An annotation export that cannot become a pass: lists every problem, each with its location."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = f"{len(problems)} problem(s) in the export; nothing was written:"
        super().__init__("\n".join([head, *("  " + p for p in problems)]))

    def __reduce__(self):
        return type(self), (self.problems,)
