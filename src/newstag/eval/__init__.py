"""Evaluation of each stage on the dev corpora in ../shared (`newstag eval geo|topics`)."""
