"""Job endpoints for cron and Cloud Tasks: a watch tick, one plan's refresh, channel renewal,
the pipeline review, a notification pass and one part of it."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from ..domain.notify_task import NotifyTask
from ..domain.refresh_task import RefreshTask
from .auth import job_caller
from .resources import services

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/watch", methods=["GET", "POST"])  # App Engine cron calls with GET
@job_caller
def watch() -> ResponseReturnValue:
    """Run one watch tick now and answer its result (idempotent: a repeat finds nothing new)."""
    counter = services().google.counter
    before = counter.snapshot()
    result = services().watcher.tick()
    return jsonify(result.as_json((counter.snapshot() - before).as_json()))


@bp.post("/refresh")
@job_caller
def refresh() -> ResponseReturnValue:
    """Refresh one plan for a queued RefreshTask (the JSON body); idempotent, so a task
    delivered twice records nothing new. 503 when the plan was locked elsewhere or could not be
    read: the queue tries again later. A body that is no RefreshTask is 400, and nothing runs."""
    try:
        task = RefreshTask.from_json(request.get_json(silent=True))
    except ValueError as exc:
        return jsonify({"error": str(exc)}), 400
    counter = services().google.counter
    before = counter.snapshot()
    result = services().watcher.refresh(task)
    body = result.as_json((counter.snapshot() - before).as_json())
    return jsonify(body), 503 if result.failed or result.deferred else 200


@bp.route("/channels/renew", methods=["GET", "POST"])
@job_caller
def renew_channels() -> ResponseReturnValue:
    """Register the Drive push channel, or replace it when it has less than a day left."""
    address = current_app.config["MAP"].addon_audience.rstrip("/") + "/hooks/drive"
    channel = services().channels.ensure(address)
    return jsonify(
        {
            "channel_id": channel["id"],
            "expiration_ms": channel["expiration_ms"],
            "renewed": channel["renewed"],
        }
    )


@bp.route("/consolidate", methods=["GET", "POST"])
@job_caller
def consolidate() -> ResponseReturnValue:
    """Rewrite every team's pipeline review (idempotent: a repeat rewrites the same review)."""
    from ..services.consolidate import Consolidator, review_json

    reviews, reads, writes = Consolidator(services()).run()
    return jsonify(review_json(reviews, reads, writes))


@bp.route("/notify", methods=["GET", "POST"])
@job_caller
def notify() -> ResponseReturnValue:
    """Send the reminders due today (idempotent: each message is claimed once, so a repeat,
    or two passes at once, send nothing twice). With a durable queue the pass is split into
    its parts (each deal, each seller's and each team's digest), one task each, answered at
    once with the tasks; the queue runs them through `/jobs/notify/task`."""
    queue = services().notify_queue
    if queue is None:
        return jsonify(services().notifier.run_once().as_json())
    tasks = services().notifier.tasks()
    for task in tasks:
        queue.enqueue(task)  # a task of the same name (a cron run twice) counts as enqueued
    return jsonify({"enqueued": [task.as_json() for task in tasks]})


@bp.post("/notify/task")
@job_caller
def notify_task() -> ResponseReturnValue:
    """Run one part of a pass for a queued NotifyTask (the JSON body); idempotent, so a task
    delivered twice sends nothing twice. 503 when Google refused a message (a quota, say): its
    claim was released and the queue tries again later. A body that is no NotifyTask is 400."""
    try:
        task = NotifyTask.from_json(request.get_json(silent=True))
    except ValueError as exc:
        return jsonify({"error": str(exc)}), 400
    result = services().notifier.run(task)
    return jsonify(result.as_json()), 503 if result.refused else 200
