"""The benchmark: data generator, HTTP runner, in-process page profiler and pure-module timings."""
