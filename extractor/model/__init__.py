"""The model: the openai + instructor client, retries, salvage of a partial answer, prompts
and their search slots, and every turn asked of the model after the first answer."""
