"""A replica of the union site, generated and served on 127.0.0.1 for tests, benchmarks and the demo."""
