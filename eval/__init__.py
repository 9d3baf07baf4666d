"""The eval harness: gold annotations of the sample articles, a scorer and `python -m eval`."""
