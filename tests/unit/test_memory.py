"""Memory helpers of the workers: the cycle collector pause and giving memory back."""

import gc

from app.core.memory import cyclic_gc_paused, limit_malloc_arenas, release_free_memory


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


def test_memory_calls_are_harmless_where_glibc_has_them_or_not():
    limit_malloc_arenas(2)
    release_free_memory()
    assert gc.isenabled()
