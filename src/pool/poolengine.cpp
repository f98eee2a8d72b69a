// The public API of PoolEngine: workers, policies, batches, pause and cancel, observation, the
// event feed and waiting. Each method takes the pool's lock and hands the work to
// PoolEnginePrivate (submit() is in intake.cpp; construction and shutdown() in lifecycle.cpp).
#include "poolengine.h"

#include "poolengine_p.h"

#include <algorithm>

namespace sluice {

namespace {
using Private = PoolEnginePrivate;
} // namespace

void PoolEngine::setWorkers(int n)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->autoMode = false;
    d->fixedWorkers = qBound(1, n, 1024);
    d->applyTarget_locked(d->fixedWorkers);
}

void PoolEngine::setAutoWorkers(int cap)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->scaler.setCap(qBound(1, cap, 1024));
    if (!d->autoMode) {
        d->autoMode = true;
        d->scaler.reset();
        d->window = AutoSample();
        d->windowStartNs = 0;
    }
    d->applyTarget_locked(d->scaler.target());
}

bool PoolEngine::isAutoWorkers() const
{
    PoolGuard lock(d->mutex);
    return d->autoMode;
}

int PoolEngine::targetWorkers() const
{
    PoolGuard lock(d->mutex);
    return d->target;
}

int PoolEngine::liveWorkers() const
{
    PoolGuard lock(d->mutex);
    return d->liveThreads;
}

int PoolEngine::peakRunning() const
{
    PoolGuard lock(d->mutex);
    return d->peakRunning;
}

void PoolEngine::resetPeakRunning()
{
    PoolGuard lock(d->mutex);
    d->peakRunning = int(d->totals.running);
}

void PoolEngine::setIdleTimeout(qint64 ms)
{
    PoolGuard lock(d->mutex);
    d->idleTimeoutMs = qMax<qint64>(1, ms);
    d->workAvailable.notify_all();
}

void PoolEngine::setRateLimit(RateLimit limit)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->interruptChunks_locked();
    d->policy.setGlobalRate(limit, d->clock->nowNs());
    d->wakeWorkers_locked(true);
}

RateLimit PoolEngine::rateLimit() const
{
    PoolGuard lock(d->mutex);
    return d->policy.globalRate();
}

void PoolEngine::setRetryPolicy(const RetryPolicy &policy)
{
    PoolGuard lock(d->mutex);
    d->backoff.setPolicy(policy);
}

RetryPolicy PoolEngine::retryPolicy() const
{
    PoolGuard lock(d->mutex);
    return d->backoff.policy();
}

void PoolEngine::setMemoryBudget(qint64 bytes)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->interruptChunks_locked();
    d->policy.setMemoryBudget(bytes);
    d->wakeWorkers_locked(true);
}

qint64 PoolEngine::memoryBudget() const
{
    PoolGuard lock(d->mutex);
    return d->policy.memoryBudget();
}

BatchId PoolEngine::createBatch(const BatchOptions &options)
{
    PoolGuard lock(d->mutex);
    if (!d->lifecycle.acceptsWork())
        return 0;
    auto b = std::make_unique<Batch>();
    b->id = d->nextBatchId++;
    b->name = options.name;
    b->priority = options.priority;
    b->maxQueued = qMax<qint64>(0, options.maxQueued);
    d->policy.setBatchRate(*b, options.rate, d->clock->nowNs());
    if (d->pausedAll)
        b->state = BatchState::Paused;
    const BatchId id = b->id;
    PoolGuard intake(d->intakeMutex);
    d->batches.emplace(id, std::move(b));
    return id;
}

bool PoolEngine::closeBatch(BatchId batch)
{
    PoolGuard lock(d->mutex);
    auto b = d->find_locked(batch);
    if (!b)
        return false;
    {
        PoolGuard intake(d->intakeMutex);
        b->closed = true; // no submit gets past this; what came before is drained below
    }
    d->drainIntake_locked();
    d->refreshState_locked(*b);
    if (b->blockedProducers > 0)
        d->roomInQueue.notify_all();
    return true;
}

bool PoolEngine::removeBatch(BatchId batch)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b || !isTerminal(b->state) || b->blockedProducers > 0)
        return false;
    d->policy.forgetBatch(*b);
    d->rings.forget(b);
    PoolGuard intake(d->intakeMutex); // terminal: closed or canceled, so no submit added to it
    d->batches.erase(batch);
    return true;
}

bool PoolEngine::setPriority(BatchId batch, Priority priority)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b)
        return false;
    if (b->priority == priority)
        return true;
    d->rings.remove(*b); // from the ring of its old level
    b->priority = priority;
    if (!b->queue.empty())
        d->enterRing_locked(*b);
    d->interruptChunks_locked();
    d->wakeWorkers_locked(true);
    return true;
}

bool PoolEngine::setBatchRateLimit(BatchId batch, RateLimit limit)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b)
        return false;
    d->interruptChunks_locked();
    d->policy.setBatchRate(*b, limit, d->clock->nowNs());
    d->wakeWorkers_locked(true);
    return true;
}

bool PoolEngine::setMaxQueued(BatchId batch, qint64 maxQueued)
{
    PoolGuard lock(d->mutex);
    auto b = d->find_locked(batch);
    if (!b)
        return false;
    {
        PoolGuard intake(d->intakeMutex);
        b->maxQueued = qMax<qint64>(0, maxQueued);
    }
    d->drainIntake_locked(); // the bound counts what unbounded submits left in the intake
    d->roomInQueue.notify_all();
    return true;
}

bool PoolEngine::pauseBatch(BatchId batch)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b || isTerminal(b->state) || b->canceled)
        return false;
    d->reclaimChunks_locked(b);
    b->paused = true;
    b->pauseReason.clear();
    d->refreshState_locked(*b);
    return true;
}

bool PoolEngine::resumeBatch(BatchId batch)
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b || isTerminal(b->state) || b->canceled)
        return false;
    b->paused = false;
    b->pauseReason.clear();
    // Chunks of this level and below give back what they have not started (strict priority).
    d->reclaimChunks_locked(nullptr, int(b->priority), b);
    d->refreshState_locked(*b);
    d->wakeWorkers_locked(true);
    return true;
}

bool PoolEngine::cancelBatch(BatchId batch)
{
    PoolGuard lock(d->mutex);
    auto b = d->find_locked(batch);
    if (!b || isTerminal(b->state))
        return false;
    d->reclaimChunks_locked(b);
    {
        PoolGuard intake(d->intakeMutex);
        b->canceled = true; // no submit gets past this; what came before is drained below
    }
    b->cancelToken.store(true, std::memory_order_relaxed);
    d->drainIntake_locked();
    d->cancelPending_locked(*b);
    d->refreshState_locked(*b);
    d->progressMade.notify_all();
    return true;
}

void PoolEngine::pauseAll()
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->interruptChunks_locked();
    d->pausedAll = true;
    d->refreshAllStates_locked();
}

// Lifts the global pause only: a batch the user paused on its own stays paused.
void PoolEngine::resumeAll()
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    d->pausedAll = false;
    d->interruptChunks_locked();
    d->refreshAllStates_locked();
    d->wakeWorkers_locked(true);
}

bool PoolEngine::isPausedAll() const
{
    PoolGuard lock(d->mutex);
    return d->pausedAll;
}

void PoolEngine::cancelAll()
{
    PoolGuard lock(d->mutex);
    d->interruptChunks_locked();
    {
        PoolGuard intake(d->intakeMutex);
        for (auto &entry : d->batches) {
            if (!isTerminal(entry.second->state))
                entry.second->canceled = true;
        }
    }
    d->drainIntake_locked();
    for (auto &entry : d->batches) {
        Batch &b = *entry.second;
        if (isTerminal(b.state) || !b.canceled)
            continue;
        b.cancelToken.store(true, std::memory_order_relaxed);
        d->cancelPending_locked(b);
        d->refreshState_locked(b);
    }
    d->progressMade.notify_all();
}

QList<BatchId> PoolEngine::batches() const
{
    PoolGuard lock(d->mutex);
    QList<BatchId> ids;
    ids.reserve(qsizetype(d->batches.size()));
    for (const auto &entry : d->batches)
        ids.append(entry.first);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::optional<BatchSummary> PoolEngine::summary(BatchId batch) const
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    if (!b)
        return std::nullopt;
    BatchSummary s;
    s.id = b->id;
    s.name = b->name;
    s.state = b->state;
    s.counters = d->published_locked(b);
    if (b->started)
        s.elapsedMs = ((isTerminal(b->state) ? b->finishNs : Private::steadyNowNs()) -
                       b->firstDispatchNs) /
                      Private::NsPerMs;
    return s;
}

BatchCounters PoolEngine::counters(BatchId batch) const
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    return b ? d->published_locked(b) : BatchCounters();
}

BatchCounters PoolEngine::totals() const
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    return d->published_locked(nullptr);
}

BatchState PoolEngine::state(BatchId batch) const
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    auto b = d->find_locked(batch);
    return b ? b->state : BatchState::Canceled;
}

QString PoolEngine::pauseReason(BatchId batch) const
{
    PoolGuard lock(d->mutex);
    auto b = d->find_locked(batch);
    return b && b->paused ? b->pauseReason : QString();
}

PoolStats PoolEngine::stats() const
{
    PoolGuard lock(d->mutex);
    d->drainIntake_locked();
    PoolStats s;
    s.workers = d->liveThreads;
    s.targetWorkers = d->target;
    const BatchCounters all = d->published_locked(nullptr);
    s.running = all.running;
    s.queued = all.queued;
    s.retrying = d->totals.retrying;
    s.completed = all.terminal();
    s.processed = all.done + all.failed;
    s.runningCostBytes = d->policy.memoryInUse();
    return s;
}

void PoolEngine::setEventsCallback(std::function<void(bool batchEnded)> onPending)
{
    PoolGuard lock(d->mutex);
    d->feed.setCallback(std::move(onPending));
}

void PoolEngine::setCollectEvents(bool collect)
{
    PoolGuard lock(d->mutex);
    d->feed.setCollect(collect);
}

void PoolEngine::takeEvents(PoolEvents &out)
{
    out.clear();
    std::vector<DeferredCanceled> canceled;
    {
        PoolGuard lock(d->mutex);
        d->feed.take(out, canceled);
    }
    // Results of tasks canceled while queued, built here rather than under the pool's lock.
    EventFeed::appendCanceledResults(canceled, out);
}

bool PoolEngine::waitForBatch(BatchId batch, QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    auto done = [&] {
        d->drainIntake_locked();
        auto b = d->find_locked(batch);
        return !b || isTerminal(b->state);
    };
    if (deadline.isForever()) {
        d->progressMade.wait(lock, done);
        return true;
    }
    return d->progressMade.wait_until(lock, Private::steadyPoint(deadline.deadlineNSecs()), done);
}

bool PoolEngine::waitForIdle(QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    auto idle = [&] {
        d->drainIntake_locked();
        return d->isIdle_locked();
    };
    if (deadline.isForever()) {
        d->progressMade.wait(lock, idle);
        return true;
    }
    return d->progressMade.wait_until(lock, Private::steadyPoint(deadline.deadlineNSecs()), idle);
}

} // namespace sluice
