"""The cycle collector pause around large computations resumes the collector afterwards."""

import gc

from app.core.memory import cyclic_gc_paused


def test_the_collector_resumes_after_the_last_of_nested_pauses():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer computation is still running
    assert gc.isenabled()


def test_the_collector_resumes_when_the_computation_fails():
    try:
        with cyclic_gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()

