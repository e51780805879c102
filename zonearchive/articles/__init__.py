"""Articles: the model, their zones, and where each came from."""
