"""Three background threads: one runs the app's long jobs (import, embedding, encryption,
network) in submission order, one the quick ones on this device's store (reading a page of My
data, switching a category), and one a training round (mostly waiting for other devices), so
that a long job never holds up a toggle or a reload, and a training round never holds up what
the user asked for. All hand their progress and results back to the UI thread."""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
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


class Lane(Enum):
    """The worker's threads, each running its jobs one at a time in submission order."""

    LONG = "privrec-worker"
    QUICK = "privrec-quick"
    TRAINING = "privrec-training"


@dataclass(eq=False)  # each job is itself: the list of unfinished ones removes it by identity
class _Job:
    description: str
    work: Callable[[Progress], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[str], None] | None
    lane: Lane
    quiet: bool = field(default=False)

    @property
    def in_background(self) -> bool:
        """A quiet training job (the app's own pass): nobody waits for it, so the UI is idle
        while it waits for other devices."""
        return self.quiet and self.lane is Lane.TRAINING


class Worker:
    """Executes each lane's jobs one at a time on its own daemon thread. ``submit`` and every
    callback run on the UI thread, so the bookkeeping needs no lock: a job counts until its
    result has been delivered, which is what "idle" must mean to a UI (and to a test driving
    it)."""

    def __init__(
        self,
        dispatch: Dispatch,
        describe_error: Callable[[Exception], str],
        listener: JobListener,
    ) -> None:
        self._dispatch = dispatch
        self._describe_error = describe_error
        self._listener = listener
        self._unfinished = 0  # jobs but a background training pass
        self._visible_jobs: list[_Job] = []  # long jobs shown to the user, oldest first
        self._training: _Job | None = None  # the unfinished training job
        self._lanes: dict[Lane, queue.Queue[_Job | None]] = {}
        self._threads: list[threading.Thread] = []
        for lane in Lane:
            jobs: queue.Queue[_Job | None] = queue.Queue()
            thread = threading.Thread(target=self._run, args=(jobs,), name=lane.value, daemon=True)
            self._lanes[lane] = jobs
            self._threads.append(thread)
            thread.start()

    @property
    def idle(self) -> bool:
        """Every job has delivered its result, but a background training pass: the UI is quiet
        while that waits for other devices (up to a round's timeout), as nobody waits for it."""
        return self._unfinished == 0

    @property
    def busy_with(self) -> str | None:
        """The long job the user sees running now (or next), if any: a click that needs the
        long jobs' thread cannot run now, and the user should be told rather than have it run
        later. Quiet jobs (a background retry) do not count: nobody could tell what a refusal
        in their name meant, and they are short; nor do training jobs, on their own thread."""
        return self._visible_jobs[0].description if self._visible_jobs else None

    @property
    def training_with(self) -> str | None:
        """The training job running now (the button's or the background pass), if any: there
        is at most one, and another is refused."""
        return None if self._training is None else self._training.description

    def submit(
        self,
        description: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        *,
        quiet: bool = False,
        quick: bool = False,
        training: bool = False,
    ) -> None:
        """Queue ``work(progress)``; ``on_done(result)`` or ``on_error(text)`` follow on the UI
        thread. A quiet job (a background retry or training pass) does not take over the
        status line; nor does a quick one (work on the local store only, in milliseconds),
        which runs on its own thread, after the quick jobs before it, whatever long job is
        running. A training job runs on a third thread, beside both: at most one is unfinished
        at a time (RuntimeError for a second: ask ``training_with`` first)."""
        if quick and training:
            raise ValueError("a job is quick or a training job, not both")
        lane = Lane.QUICK if quick else Lane.TRAINING if training else Lane.LONG
        if lane is Lane.TRAINING and self._training is not None:
            raise RuntimeError(f"already {self._training.description}: one training job at once")
        job = _Job(description, work, on_done, on_error, lane, quiet or quick)
        if lane is Lane.TRAINING:
            self._training = job
        if not job.in_background:
            self._unfinished += 1
        if not job.quiet and lane is Lane.LONG:
            self._visible_jobs.append(job)
        self._lanes[lane].put(job)

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
        # The lane is free before its result is shown: a callback may start the next one.
        if job is self._training:
            self._training = None
        try:
            if deliver is not None:
                deliver()
        except Exception as error:  # a bug in a screen's callback: show it, keep running
            log.exception("showing the result of %r failed", job.description)
            self._listener.job_failed(job.description, self._describe_error(error))
        finally:
            if job in self._visible_jobs:
                self._visible_jobs.remove(job)
            if not job.in_background:
                self._unfinished -= 1
                if self._unfinished == 0:
                    self._listener.jobs_idle()
