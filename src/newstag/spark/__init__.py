"""Tagging on Apache Spark (the `spark` extra: pip install 'newstag[spark]').

    tag_dataframe(df, text_col="text", id_col="id", title_col=None, options=None) -> DataFrame
    newstag spark tag INPUT OUTPUT [--master URL] ...      (spark/job.py; also for spark-submit)

    schema.py     the record's Arrow and Spark types, derived from the record contract
    batch.py      the pure function: Arrow / pandas batch -> batch of records (no Spark)
    dataframe.py  the Spark wrapper: numbers rows, moves batches through mapInArrow
    job.py        the job: read, tag, write, count

pyspark is imported only inside this package, when a function is called.
"""

from newstag.spark.batch import tag_batch
from newstag.spark.dataframe import tag_dataframe

__all__ = ["tag_batch", "tag_dataframe"]
