"""The one exception tree of newstag.

    NewstagError
    ├── InputError        the input cannot be read (file missing, not UTF-8, bad JSON Lines header)
    ├── ArtifactError     a shipped or built artifact (gazetteer, topic model) is missing or broken
    └── TrainingError     `newstag train` was given data it cannot learn from

Messages name the input and say what to do. In a batch, a failing article does not raise: it
becomes a record with its id, the stage and the reason (see `pipeline.Tagger.pipe`).
"""


class NewstagError(Exception):
    """Base class of every error newstag raises on purpose."""


class InputError(NewstagError):
    """The input cannot be read as an article."""


class ArtifactError(NewstagError):
    """An artifact is missing or does not load; the message says which command builds it."""


class TrainingError(NewstagError):
    """Training data is unusable (no labels, one class only, unknown taxonomy codes)."""
