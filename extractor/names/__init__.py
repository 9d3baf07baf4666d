"""CCG names: the reference table, every name an article writes and where, groups of CCGs,
the sentences that speak of each CCG, and merging the entries of one CCG."""
