"""What the model is asked to fill: the answer schemas of the first prompt (`article.py`) and
of the narrow questions: about a few CCGs at a time (`ccgs.py`), the figures of a few
sentences (`figures.py`), who said a few quotations (`quotes.py`)."""
