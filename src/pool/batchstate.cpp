// Batch state and outcomes: where a task's run ends up (a result, a retry, back in the queue),
// what a batch's state is, and canceling what is still pending. Everything here runs with the
// pool's lock held.
#include "poolengine_p.h"

namespace sluice {

void PoolEnginePrivate::refreshState_locked(Batch &b)
{
    BatchState s;
    const BatchCounters &c = b.counters;
    if (b.canceled)
        s = c.pending() > 0 ? BatchState::Canceling : BatchState::Canceled;
    else if (b.closed && c.pending() == 0)
        s = BatchState::Finished;
    else if (b.paused || pausedAll)
        s = c.running + b.activeChunks > 0 ? BatchState::Pausing : BatchState::Paused;
    else if (!b.started)
        s = BatchState::Queued;
    else
        s = BatchState::Running;
    if (s == b.state)
        return;
    b.state = s;
    if (isTerminal(s))
        b.finishNs = steadyNowNs();
    if (feed.collects())
        announceState_locked(b, s);
    if (isTerminal(s))
        progressMade.notify_all();
}

// Records the batch's new state for the facade, with a summary when it ended.
void PoolEnginePrivate::announceState_locked(const Batch &b, BatchState s)
{
    feed.addStateChange(b.id, s);
    if (!isTerminal(s))
        return;
    BatchSummary sum;
    sum.id = b.id;
    sum.name = b.name;
    sum.state = s;
    sum.counters = b.counters;
    sum.elapsedMs = b.started ? (b.finishNs - b.firstDispatchNs) / NsPerMs : 0;
    feed.addFinished(std::move(sum));
}

void PoolEnginePrivate::refreshAllStates_locked()
{
    for (auto &entry : batches)
        refreshState_locked(*entry.second);
}

void PoolEnginePrivate::finishTask_locked(Batch &b, const QueuedTask &task, ResultStatus status,
                                          bool transient, QString message, QVariant detail)
{
    if (!feed.collects())
        return;
    TaskResult r;
    r.taskId = task.id;
    r.batchId = b.id;
    r.tag = task.tag;
    r.status = status;
    r.transient = transient;
    r.attempts = task.attempts;
    r.message = std::move(message);
    r.detail = std::move(detail);
    feed.addResult(std::move(r));
}

// Wakes waiters only for what they wait for: an idle pool, or the end of a shutdown drain.
void PoolEnginePrivate::notifyIfDrained_locked()
{
    if (isIdle_locked() || (lifecycle.isShutDown() && runningNow_locked() == 0))
        progressMade.notify_all();
}

// A task's run ended: it moves from running to its outcome, to the retry queue, or back to its
// queue (Blocked). Its memory was released before (DispatchPolicy::finished).
void PoolEnginePrivate::complete_locked(Dispatched &job, TaskOutcome &&outcome)
{
    Batch &b = *job.batch;
    QueuedTask &t = job.task;
    count_locked(b, &BatchCounters::running, nullptr);
    // A retry or a requeue is more work: canceled instead once the batch or the pool is.
    const bool takesMore = !b.canceled && lifecycle.acceptsWork();
    ResultStatus status = ResultStatus::Done;
    bool transient = false;
    switch (outcome.kind) {
    case OutcomeKind::Done:
        count_locked(b, nullptr, &BatchCounters::done);
        break;
    case OutcomeKind::Skipped:
        count_locked(b, nullptr, &BatchCounters::skipped);
        status = ResultStatus::Skipped;
        if (policy.needsClock())
            policy.refund(b, job, clock->nowNs());
        break;
    case OutcomeKind::Canceled:
        count_locked(b, nullptr, &BatchCounters::canceled);
        status = ResultStatus::Canceled;
        break;
    case OutcomeKind::PermanentFailure:
        count_locked(b, nullptr, &BatchCounters::failed);
        status = ResultStatus::Failed;
        break;
    case OutcomeKind::Blocked:
        if (takesMore) {
            requeueBlocked_locked(b, t, std::move(outcome.message));
            return;
        }
        count_locked(b, nullptr, &BatchCounters::canceled);
        status = ResultStatus::Canceled;
        break;
    case OutcomeKind::TransientFailure:
        if (!takesMore) {
            count_locked(b, nullptr, &BatchCounters::canceled);
            status = ResultStatus::Canceled;
        } else if (backoff.shouldRetry(t.attempts)) {
            scheduleRetry_locked(b, t, outcome.message);
            return;
        } else {
            count_locked(b, nullptr, &BatchCounters::failed);
            status = ResultStatus::Failed;
            transient = true;
        }
        break;
    }
    if (t.attempts > 1)
        retries.forgetError(t.id);
    finishTask_locked(b, t, status, transient, std::move(outcome.message),
                      std::move(outcome.detail));
    refreshState_locked(b);
    notifyIfDrained_locked();
}

// A transient failure with attempts left waits out its backoff in the retry queue.
void PoolEnginePrivate::scheduleRetry_locked(Batch &b, QueuedTask &t, const QString &error)
{
    count_locked(b, nullptr, &BatchCounters::retrying);
    const qint64 readyNs = clock->nowNs() + backoff.delayNs(t.attempts);
    retries.push(readyNs, &b, std::move(t), error);
    refreshState_locked(b);
}

// A Blocked task goes back where its id says it belongs (the front, unless an earlier task of
// the batch was blocked too), its run not counted, and the batch pauses with the reason.
void PoolEnginePrivate::requeueBlocked_locked(Batch &b, QueuedTask &t, QString reason)
{
    count_locked(b, nullptr, &BatchCounters::queued);
    --t.attempts;
    reclaimChunks_locked(&b);
    std::vector<QueuedTask> one;
    one.push_back(std::move(t));
    returnToQueue_locked(b, one, 0, 1);
    b.paused = true;
    b.pauseReason = std::move(reason);
    refreshState_locked(b);
    notifyIfDrained_locked();
}

// Queued and backing-off tasks of a batch become Canceled results now. The counters move at
// once; the queued tasks themselves are handed to the event consumer, which builds their results
// and destroys their callables in takeEvents(), outside the lock: canceling a million queued
// tasks costs the lock holder almost nothing (shutdown keeps its deadline).
void PoolEnginePrivate::cancelPending_locked(Batch &b)
{
    const qint64 queued = qint64(b.queue.size());
    if (queued > 0) {
        b.counters.queued -= queued;
        totals.queued -= queued;
        b.counters.canceled += queued;
        totals.canceled += queued;
        if (retries.hasErrors()) {
            for (const QueuedTask &t : b.queue) {
                if (t.attempts > 0)
                    retries.forgetError(t.id);
            }
        }
        feed.addCanceled(b.id, std::move(b.queue));
        b.queue.clear();
    }
    if (b.counters.retrying > 0) {
        retries.removeBatch(b, [this, &b](const QueuedTask &task) {
            count_locked(b, &BatchCounters::retrying, &BatchCounters::canceled);
            finishTask_locked(b, task, ResultStatus::Canceled, false, QString(), QVariant());
        });
    }
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
}

} // namespace sluice
