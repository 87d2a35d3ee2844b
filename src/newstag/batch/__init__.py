"""Batch: tag inputs of any size into one output, in input order, one record per input record."""
