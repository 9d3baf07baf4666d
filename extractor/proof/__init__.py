"""Proving each fact the model gave against the article's own words (see README, "How facts
are proven"): `assemble` proves a whole answer, one module per fact kind proves that kind."""
