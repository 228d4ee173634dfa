"""The one exception family of hw; the CLI turns these into messages and exit codes."""
from __future__ import annotations


class HwError(Exception):
    """An expected error: bad input, a file that cannot be read, a problem that cannot be made."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + self.message

    def __reduce__(self):
        """Pickled whole, with its file, line and any attribute of a subclass, whatever the
        subclass's own arguments are: a worker process sends its errors back."""
        return _unpickled, (type(self), self.args, self.__dict__)


def _unpickled(kind: type, args: tuple, state: dict) -> HwError:
    error = kind.__new__(kind, *args)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class TemplateError(HwError):
    """A template or assignment that is not valid; `errors` holds every problem found."""

    def __init__(self, errors: list[HwError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.message, file=first.file, line=first.line)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ExpressionError(HwError):
    """An expression that cannot be evaluated in the sandbox."""


class SamplingError(HwError):
    """Params that cannot be sampled, such as a `require` that never holds."""
