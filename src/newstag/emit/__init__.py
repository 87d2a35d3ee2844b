"""Emit: a TaggedArticle as the output record (dict), as text with its footer filled, as CSV."""
