"""Writing records (JSONL and CSV) and building the CCG x year panel from them."""
