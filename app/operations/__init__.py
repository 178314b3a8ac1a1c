"""Running on several hosts: health and readiness probes, JSON logs with request ids, Prometheus metrics."""
