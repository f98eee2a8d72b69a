// Construction, shutdown and destruction: where the lifecycle (lifecycle_p.h) moves.
#include "poolengine.h"
#include "poolengine_p.h"

#include <QThread>

namespace sluice {

namespace {
// After the deadline, running tasks get this long to honour their token. Kept well under the
// 200 ms the API promises, to leave room for waking and bookkeeping.
constexpr qint64 CancelGraceMs = 120;
} // namespace

PoolEnginePrivate::PoolEnginePrivate(const PoolConfig &config)
    : clock(config.clock ? config.clock : SteadyClock::instance())
    , cores(config.cores > 0 ? config.cores : qMax(1, QThread::idealThreadCount()))
    , autoMode(config.autoWorkers)
    , fixedWorkers(qBound(1, config.workers, 1024))
    , target(autoMode ? cores : fixedWorkers)
    , scaler(cores, qBound(1, config.autoCap, 1024))
    , autoIntervalNs(qMax<qint64>(1, config.autoIntervalMs) * NsPerMs)
    , idleTimeoutMs(qMax<qint64>(1, config.idleTimeoutMs))
    , policy(config.rate, config.memoryBudgetBytes, clock->nowNs())
    , backoff(config.retry, config.seed)
    , parkingHook(config.parkingHook)
{
    if (autoMode)
        target = qMin(scaler.target(), scaler.cap());
    syncThreadHint_locked();
}

// Producers read the lifecycle under intakeMutex alone: it changes with both locks held.
void PoolEnginePrivate::advanceLifecycle_locked(Lifecycle next)
{
    PoolGuard intake(intakeMutex);
    lifecycle.advanceTo(next);
}

// What never started (in the queues and the intake) is canceled now. Called once the lifecycle
// refuses new work, so nothing new arrives behind it.
qint64 PoolEnginePrivate::cancelEverythingQueued_locked()
{
    const qint64 canceledBefore = totals.canceled;
    drainIntake_locked();
    for (auto &entry : batches) {
        Batch &b = *entry.second;
        cancelPending_locked(b);
        refreshState_locked(b);
    }
    return totals.canceled - canceledBefore;
}

QList<TaskId> PoolEnginePrivate::abandonedTasks_locked() const
{
    QList<TaskId> tasks;
    for (const WorkerInfo &w : workers) {
        const TaskId current = w.currentTask.load(std::memory_order_relaxed);
        if (current != 0)
            tasks.append(current);
    }
    return tasks;
}

PoolEngine::PoolEngine(const PoolConfig &config)
    : d(std::make_shared<PoolEnginePrivate>(config))
{
    if (d->clock->isManual()) {
        std::weak_ptr<PoolEnginePrivate> weak = d;
        d->clockListener = d->clock->addListener([weak] {
            if (auto self = weak.lock()) {
                PoolGuard lock(self->mutex);
                self->drainIntake_locked();
                self->promoteDueRetries_locked(self->clock->nowNs());
                self->wakeWorkers_locked(true);
            }
        });
    }
}

PoolEngine::~PoolEngine()
{
    if (!isShutDown())
        shutdown(QDeadlineTimer(5000));
    if (d->clockListener)
        d->clock->removeListener(d->clockListener);
    PoolLock lock(d->mutex);
    d->advanceLifecycle_locked(Lifecycle::Detached);
    d->feed.setCallback(nullptr);
    d->workAvailable.notify_all();
    // Let the idle threads leave (briefly); abandoned ones keep the state alive on their own.
    const int abandoned = int(d->report.abandoned);
    d->progressMade.wait_for(lock, std::chrono::milliseconds(500),
                             [&] { return d->liveThreads <= abandoned; });
}

bool PoolEngine::shutdown(QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    ShutdownReport report;
    d->interruptChunks_locked();
    // No submit gets past this; what came before is drained and canceled below, and nothing new
    // is accepted.
    d->advanceLifecycle_locked(Lifecycle::ShuttingDown);
    report.canceledQueued = d->cancelEverythingQueued_locked();
    d->roomInQueue.notify_all();
    auto nothingRunning = [&] {
        return d->runningNow_locked() == 0;
    };

    // Running tasks may finish until the deadline.
    if (!deadline.isForever())
        d->progressMade.wait_until(lock, PoolEnginePrivate::steadyPoint(deadline.deadlineNSecs()),
                                   nothingRunning);
    else
        d->progressMade.wait(lock, nothingRunning);

    if (!nothingRunning()) {
        report.canceledRunning = d->runningNow_locked();
        for (auto &entry : d->batches) {
            Batch &b = *entry.second;
            if (b.counters.running > 0 || b.activeChunks > 0)
                b.cancelToken.store(true, std::memory_order_relaxed);
        }
        d->progressMade.wait_until(
            lock, std::chrono::steady_clock::now() + std::chrono::milliseconds(CancelGraceMs),
            nothingRunning);
    }
    report.abandonedTasks = d->abandonedTasks_locked();
    report.abandoned = report.abandonedTasks.size();
    report.stoppedInTime = report.abandoned == 0;
    d->advanceLifecycle_locked(Lifecycle::Stopping);
    d->workAvailable.notify_all();
    d->refreshAllStates_locked();
    d->report = report;
    return report.stoppedInTime;
}

bool PoolEngine::isShutDown() const
{
    PoolGuard lock(d->mutex);
    return d->lifecycle.isShutDown();
}

ShutdownReport PoolEngine::lastShutdownReport() const
{
    PoolGuard lock(d->mutex);
    return d->report;
}

} // namespace sluice
