"""What the model is asked to fill: the answer schemas of the first prompt and of the
narrow questions about a few CCGs at a time."""
