"""``make bench``: throughput and latency of the opinion pipeline against a raw nats-py baseline."""
