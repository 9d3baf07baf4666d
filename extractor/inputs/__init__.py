"""Reading input documents: text and HTML files, folders, stdin and JSONL batches."""
