"""The one exception tree of newstag.

    NewstagError
    ├── InputError        the input cannot be read (file missing, not a table with a 'text' column)
    ├── UsageError        the command line asks for something that cannot be done (-o onto an input)
    ├── OutputError       the output cannot be written (missing directory, disk full)
    │   └── OutputClosed  stdout was closed by its reader (`newstag tag ... | head`): not a failure
    ├── ArtifactError     a shipped or built artifact (gazetteer, topic model) is missing or broken
    └── TrainingError     `newstag train` was given data it cannot learn from

Messages name the input and say what to do. In a batch, a failing article does not raise: it
becomes a record with its id, the stage and the reason (see `pipeline.Tagger.pipe`).
"""


class NewstagError(Exception):
    """Base class of every error newstag raises on purpose."""


class InputError(NewstagError):
    """The input cannot be read as an article."""


class UsageError(NewstagError):
    """The options contradict each other or the inputs (exit 2, like any usage error)."""


class OutputError(NewstagError):
    """The output cannot be written; the message names the path and the fix."""


class OutputClosed(OutputError):
    """Whoever read stdout stopped reading (a closed pipe). The user chose it: stop quietly."""


class ArtifactError(NewstagError):
    """An artifact is missing or does not load; the message says which command builds it."""


class TrainingError(NewstagError):
    """Training data is unusable (no labels, one class only, unknown taxonomy codes)."""
