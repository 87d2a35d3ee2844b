"""Optional dependencies, imported when first needed with a clear error when absent.

pyarrow (Parquet in and out) is the `parquet` extra: reading and writing Parquet both come here, so
that one message tells the user what to install.
"""

from __future__ import annotations

from newstag.errors import InputError

_MISSING_PYARROW = "Parquet needs pyarrow, an optional extra: pip install 'newstag[parquet]'"


def load_pyarrow():
    try:
        import pyarrow
    except ImportError as exc:
        raise InputError(_MISSING_PYARROW) from exc
    return pyarrow


def load_pyarrow_parquet():
    load_pyarrow()
    import pyarrow.parquet

    return pyarrow.parquet
