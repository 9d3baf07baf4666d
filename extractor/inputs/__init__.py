"""Reading input documents: text and HTML files, folders, stdin and JSONL batches; and what
each article says before any question is asked of it (`reading.py`)."""
