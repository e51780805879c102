"""Worker processes that cannot hang their parent: fork only from a process that
runs one thread, ignore the Ctrl-C meant for the parent, die with the parent."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading

from .errors import ZoneArchiveError
from .i18n import _

_PR_SET_PDEATHSIG = 1


def fork_context():
    """The fork start method where forking is safe: this process runs a single
    thread. Forking from a threaded process copies locks other threads hold (the
    preview's rebuild thread deadlocked that way); None there, and the caller uses a
    start method that does not fork, or no workers."""
    if "fork" not in mp.get_all_start_methods() or threading.active_count() > 1:
        return None
    return mp.get_context("fork")


def init_worker() -> None:
    """Pool initializer. SIGINT (Ctrl-C reaches the whole process group) is the
    parent's to handle: the worker ignores it. SIGTERM goes back to its default, so a
    handler inherited from the parent (the preview's used to raise KeyboardInterrupt)
    cannot keep pool.terminate() from ending the worker; ignoring it would hang
    terminate() the same way."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (kill -9 included): no
    orphaned worker outlives the build that started it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    # Reparented to init: the parent died before the request took effect. (Compared
    # with 1, not with the parent's pid: a forkserver worker's parent is the forkserver.)
    if os.getppid() == 1:
        os._exit(1)


def beside(job, worth_it: bool = True):
    """Start ``job()`` in a forked process while the caller goes on; return a callable
    that waits for its result (raising what the job raised). Where forking is not
    safe, or not ``worth_it``, nothing starts: the callable runs the job itself when asked."""
    fork = fork_context() if worth_it else None
    if fork is None:
        return job
    ours, theirs = fork.Pipe(duplex=False)
    process = fork.Process(target=_beside, args=(job, theirs), daemon=True, name="zonearchive-beside")
    process.start()  # forked: the job and what it reads are inherited, not sent
    theirs.close()

    def result():
        try:
            ok, value = ours.recv()
        except EOFError:
            process.join()
            code = process.exitcode
            how = signal.Signals(-code).name if code and code < 0 else f"exit code {code}"
            raise died(how) from None
        finally:
            ours.close()
        process.join()
        if not ok:
            raise value
        return value

    return result


def _beside(job, conn) -> None:
    init_worker()
    try:
        outcome = (True, job())
    except BaseException as error:  # sent back whole: the caller raises it
        outcome = (False, error)
    conn.send(outcome)
    conn.close()


def on_cores(job, items: list, workers: int | None = None, at_least: int = 1) -> list:
    """[job(item) for item in items], in a process pool when there are ``at_least`` items
    and more than one core. Jobs carry what they read (bytes), so a threaded caller can
    use forkserver: never fork there."""
    if len(items) >= at_least and (workers or os.cpu_count() or 1) > 1:
        context = fork_context() or mp.get_context("forkserver")
        return list(pool_map(job, items, context, workers or os.cpu_count() or 2, chunksize=8))
    return [job(item) for item in items]


def pool_map(job, items, context, workers: int, chunksize: int):
    """job(item) for each item in a pool of ``workers`` processes, yielded in order. A
    worker killed under it (the OOM killer, kill -9) is died(), never a wait for a
    result that cannot come."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker)
    finished = False
    try:
        yield from pool.map(job, items, chunksize=chunksize)
        finished = True
    except BrokenProcessPool:
        raise died(_("its pool broke")) from None
    finally:
        # Given up (an error while the results were used): the queued work is dropped,
        # and the workers end with their chunk (or with this process).
        pool.shutdown(wait=finished, cancel_futures=not finished)


def died(how: str) -> ZoneArchiveError:
    """A worker process killed under the build (out of memory, kill -9), said as a sentence."""
    return ZoneArchiveError(
        "zonearchive build",
        _(
            "a worker process stopped ({how}), out of memory perhaps; nothing was published: "
            "the site is as the last build left it"
        ).format(how=how),
    )
