"""Two background threads: one runs the app's long jobs (import, embedding, encryption, network)
in submission order, the other the quick ones on this device's store (reading a page of My
data, switching a category), so a long job never holds up a toggle or a reload. Both hand their
progress and results back to the UI thread."""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

Progress = Callable[[str, float], None]
# Runs a callable on the UI thread, later (the app passes Kivy's Clock.schedule_once).
Dispatch = Callable[[Callable[[], None]], None]

log = logging.getLogger(__name__)


class JobListener(Protocol):
    """Where a job's life is shown (the status line and progress bar); called on the UI thread."""

    def job_started(self, description: str) -> None: ...

    def job_progress(self, message: str, fraction: float) -> None: ...

    def job_failed(self, description: str, message: str) -> None: ...

    def jobs_idle(self) -> None: ...


@dataclass(eq=False)  # each job is itself: the list of unfinished ones removes it by identity
class _Job:
    description: str
    work: Callable[[Progress], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None
    quiet: bool = field(default=False)
    quick: bool = field(default=False)


class Worker:
    """Executes the long jobs one at a time on a daemon thread, and the quick ones one at a
    time on another. ``submit`` and every callback run on the UI thread, so the bookkeeping
    needs no lock: a job counts until its result has been delivered, which is what "idle" must
    mean to a UI (and to a test driving it)."""

    def __init__(
        self,
        dispatch: Dispatch,
        describe_error: Callable[[Exception], str],
        listener: JobListener,
    ) -> None:
        self._dispatch = dispatch
        self._describe_error = describe_error
        self._listener = listener
        self._unfinished = 0
        self._visible_jobs: list[_Job] = []  # unfinished and shown to the user, oldest first
        self._lanes: dict[bool, queue.Queue[_Job | None]] = {}  # by ``quick``
        self._threads: list[threading.Thread] = []
        for quick, name in ((False, "privrec-worker"), (True, "privrec-quick")):
            jobs: queue.Queue[_Job | None] = queue.Queue()
            thread = threading.Thread(target=self._run, args=(jobs,), name=name, daemon=True)
            self._lanes[quick] = jobs
            self._threads.append(thread)
            thread.start()

    @property
    def idle(self) -> bool:
        return self._unfinished == 0

    @property
    def busy_with(self) -> str | None:
        """The long job the user sees running now (or next), if any: a click that needs the
        long jobs' thread cannot run now, and the user should be told rather than have it run
        later. Quiet jobs (a background retry) do not count: nobody could tell what a refusal
        in their name meant, and they are short."""
        return self._visible_jobs[0].description if self._visible_jobs else None

    def submit(
        self,
        description: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        *,
        quiet: bool = False,
        quick: bool = False,
    ) -> None:
        """Queue ``work(progress)``; ``on_done(result)`` or ``on_error(text)`` follow on the UI
        thread. A quiet job (a background retry) does not take over the status line; nor does a
        quick one (work on the local store only, in milliseconds), which runs on its own thread,
        after the quick jobs before it, whatever long job is running."""
        job = _Job(description, work, on_done, on_error, quiet or quick, quick)
        self._unfinished += 1
        if not job.quiet:
            self._visible_jobs.append(job)
        self._lanes[quick].put(job)

    def stop(self, timeout: float = 2.0) -> None:
        """Stop after the current jobs (a job in the middle of a network call is abandoned)."""
        for jobs in self._lanes.values():
            jobs.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def _run(self, jobs: queue.Queue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            self._execute(job)

    def _execute(self, job: _Job) -> None:
        if not job.quiet:
            self._dispatch(lambda: self._listener.job_started(job.description))

        def progress(message: str, fraction: float) -> None:
            if not job.quiet:
                self._dispatch(lambda: self._listener.job_progress(message, fraction))

        try:
            result = job.work(progress)
        except Exception as error:  # every failure is shown in the app, never a crash
            log.info("job %r failed", job.description, exc_info=True)
            message = self._describe_error(error)
            self._dispatch(lambda: self._finish(job, lambda: self._fail(job, message)))
            return
        deliver = None if job.on_done is None else functools.partial(job.on_done, result)
        self._dispatch(lambda: self._finish(job, deliver))

    def _fail(self, job: _Job, message: str) -> None:
        self._listener.job_failed(job.description, message)
        if job.on_error is not None:
            job.on_error(message)

    def _finish(self, job: _Job, deliver: Callable[[], None] | None) -> None:
        try:
            if deliver is not None:
                deliver()
        except Exception as error:  # a bug in a screen's callback: show it, keep running
            log.exception("showing the result of %r failed", job.description)
            self._listener.job_failed(job.description, self._describe_error(error))
        finally:
            self._unfinished -= 1
            if not job.quiet:
                self._visible_jobs.remove(job)
            if self._unfinished == 0:
                self._listener.jobs_idle()
