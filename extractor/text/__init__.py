"""How articles write things: sentences, tables, quotations, dates and numbers, rating words
and the year each is for, and passages addressed to AI. Shared by names, proof, model turns
and outputs; imports nothing above `schema.py`."""
