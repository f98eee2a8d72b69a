#include "poolengine.h"

#include "poolengine_p.h"

#include <QFile>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>
#include <thread>

namespace sluice {

namespace {

constexpr qint64 NsPerMs = 1000000;
// After the deadline, running tasks get this long to honour their token. Kept well under the
// 200 ms the API promises, to leave room for waking and bookkeeping.
constexpr qint64 CancelGraceMs = 120;

qint64 steadyNowNs()
{
    return SteadyClock::instance()->nowNs();
}

qint64 threadCpuNs()
{
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Busy and total jiffies of the whole machine, from /proc/stat (Linux). False elsewhere.
bool readMachineTicks(quint64 &busy, quint64 &total)
{
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> fields = f.readLine().simplified().split(' ');
    if (fields.size() < 5 || fields.at(0) != "cpu")
        return false;
    total = 0;
    quint64 idle = 0;
    for (int i = 1; i < fields.size(); ++i) {
        const quint64 v = fields.at(i).toULongLong();
        total += v;
        if (i == 4 || i == 5) // idle, iowait
            idle += v;
    }
    busy = total - idle;
    return true;
}

bool retryLater(const RetryEntry &a, const RetryEntry &b)
{
    // std heap functions build a max-heap; invert for "earliest first".
    if (a.readyNs != b.readyNs)
        return a.readyNs > b.readyNs;
    return a.sequence > b.sequence;
}

ResultStatus statusOf(OutcomeKind kind)
{
    switch (kind) {
    case OutcomeKind::Done:
        return ResultStatus::Done;
    case OutcomeKind::Skipped:
        return ResultStatus::Skipped;
    case OutcomeKind::Canceled:
        return ResultStatus::Canceled;
    case OutcomeKind::TransientFailure:
    case OutcomeKind::PermanentFailure:
    case OutcomeKind::Blocked: // never terminal; counted as failed only if it ever leaked
        break;
    }
    return ResultStatus::Failed;
}

// Terminal outcomes of a chunk, counted in one go: each moves from queued to its status.
struct ChunkTally
{
    qint64 counts[4] = {0, 0, 0, 0}; // by ResultStatus
    void add(ResultStatus s) { ++counts[int(s)]; }
    void apply(BatchCounters &c) const
    {
        const qint64 total = counts[0] + counts[1] + counts[2] + counts[3];
        c.queued -= total;
        c.done += counts[int(ResultStatus::Done)];
        c.skipped += counts[int(ResultStatus::Skipped)];
        c.failed += counts[int(ResultStatus::Failed)];
        c.canceled += counts[int(ResultStatus::Canceled)];
    }
};

std::chrono::steady_clock::time_point steadyPoint(qint64 ns)
{
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

} // namespace

// ================================================================================================
// PoolEnginePrivate
// ================================================================================================

PoolEnginePrivate::PoolEnginePrivate(const PoolConfig &config)
    : clock(config.clock ? config.clock : SteadyClock::instance())
    , cores(config.cores > 0 ? config.cores : qMax(1, QThread::idealThreadCount()))
    , autoMode(config.autoWorkers)
    , fixedWorkers(qBound(1, config.workers, 1024))
    , target(autoMode ? cores : fixedWorkers)
    , scaler(cores, qBound(1, config.autoCap, 1024))
    , autoIntervalNs(qMax<qint64>(1, config.autoIntervalMs) * NsPerMs)
    , idleTimeoutMs(qMax<qint64>(1, config.idleTimeoutMs))
    , globalRate(config.rate, clock->nowNs())
    , backoff(config.retry, config.seed)
    , memory(config.memoryBudgetBytes)
    , parkingHook(config.parkingHook)
{
    if (autoMode)
        target = qMin(scaler.target(), scaler.cap());
    syncThreadHint_locked();
}

Batch *PoolEnginePrivate::find_locked(BatchId id) const
{
    auto it = batches.find(id);
    return it == batches.end() ? nullptr : it->second.get();
}

void PoolEnginePrivate::drainIntake_locked()
{
    if (intakePending.load(std::memory_order_seq_cst) == 0)
        return;
    {
        PoolGuard intake(intakeMutex);
        swapIntake_held();
    }
    queueDrained_locked();
}

// Takes every batch's `incoming` buffer (in exchange for its empty spare) while both locks are
// held; queueDrained_locked() then moves the tasks with only the pool's lock, so a producer
// waits for a few swaps, not for the moves.
void PoolEnginePrivate::swapIntake_held()
{
    for (Batch *b : intakeBatches) {
        b->incoming.swap(b->drained);
        drainList.push_back(b);
    }
    intakeBatches.clear();
    intakePending.store(0, std::memory_order_seq_cst);
}

void PoolEnginePrivate::queueDrained_locked()
{
    for (Batch *b : drainList) {
        const qint64 n = qint64(b->drained.size());
        b->counters.submitted += n;
        totals.submitted += n;
        if (b->canceled || shuttingDown) {
            // Submitted before the cancel, so accepted, and canceled at once: handed over whole
            // (see cancelPending_locked), which keeps cancel and shutdown O(batches).
            b->counters.canceled += n;
            totals.canceled += n;
            if (collectEvents) {
                const bool wasEmpty = deferredCanceled.empty() && events.isEmpty();
                deferredCanceled.push_back(DeferredCanceled{b->id, {}, std::move(b->drained)});
                if (wasEmpty && onEventsPending)
                    onEventsPending(false);
            }
            b->drained = std::vector<QueuedTask>();
            continue;
        }
        for (QueuedTask &t : b->drained)
            b->queue.push_back(std::move(t));
        b->drained.clear();
        if (b->drained.capacity() > MaxSpareCapacity)
            b->drained = std::vector<QueuedTask>(); // a burst's buffer is not kept for good
        b->counters.queued += n;
        totals.queued += n;
        submitCount += quint64(n);
        enterRing_locked(*b);
    }
    drainList.clear();
}

void PoolEnginePrivate::updateChunkHint_locked()
{
    quint64 hint = 0;
    for (const Chunk *c : chunks) {
        if (hint == 0)
            hint = c->batch->id;
        else if (hint != c->batch->id)
            hint = MixedChunks;
    }
    if (chunkBatchHint.load(std::memory_order_relaxed) != hint)
        chunkBatchHint.store(hint, std::memory_order_seq_cst);
}

// needLock counts "fewer threads than the target" once while that holds: a submit must then take
// the lock, to start a thread for its task.
void PoolEnginePrivate::syncThreadHint_locked()
{
    const bool isShort = liveThreads < target;
    if (isShort == shortHinted)
        return;
    shortHinted = isShort;
    needLock.fetch_add(isShort ? 1 : -1, std::memory_order_seq_cst);
}

// Moves one task between two counters, in the batch and in the totals.
void PoolEnginePrivate::count_locked(Batch &b, qint64 BatchCounters::*from,
                                     qint64 BatchCounters::*to)
{
    if (from) {
        --(b.counters.*from);
        --(totals.*from);
    }
    if (to) {
        ++(b.counters.*to);
        ++(totals.*to);
    }
}

void PoolEnginePrivate::pushEvent_locked(bool wasEmpty)
{
    // Called after appending to `events`: tell the consumer when the feed was empty before.
    if (wasEmpty && onEventsPending)
        onEventsPending(false);
}

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
    if (collectEvents) {
        const bool wasEmpty = events.isEmpty();
        events.stateChanges.emplace_back(b.id, s);
        pushEvent_locked(wasEmpty);
        if (isTerminal(s)) {
            BatchSummary sum;
            sum.id = b.id;
            sum.name = b.name;
            sum.state = s;
            sum.counters = b.counters;
            sum.elapsedMs = b.started ? (b.finishNs - b.firstDispatchNs) / NsPerMs : 0;
            events.finished.push_back(std::move(sum));
            if (onEventsPending)
                onEventsPending(true); // a batch ended: worth delivering now
        }
    }
    if (isTerminal(s))
        progressMade.notify_all();
}

void PoolEnginePrivate::refreshAllStates_locked()
{
    for (auto &entry : batches)
        refreshState_locked(*entry.second);
}

void PoolEnginePrivate::finishTask_locked(Batch &b, const QueuedTask &task, ResultStatus status,
                                          bool transient, QString message, QVariant detail)
{
    if (!collectEvents)
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
    const bool wasEmpty = events.isEmpty();
    if (events.results.empty())
        events.results.emplace_back();
    events.results.back().append(std::move(r));
    pushEvent_locked(wasEmpty);
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
        if (!lastErrors.empty()) {
            for (const QueuedTask &t : b.queue) {
                if (t.attempts > 0)
                    lastErrors.erase(t.id);
            }
        }
        if (collectEvents) {
            deferredCanceled.push_back(DeferredCanceled{b.id, std::move(b.queue), {}});
            if (onEventsPending && deferredCanceled.size() == 1 && events.isEmpty())
                onEventsPending(false);
        }
        b.queue.clear();
    }
    if (b.counters.retrying > 0) {
        auto keep = std::partition(retryHeap.begin(), retryHeap.end(),
                                   [&b](const RetryEntry &e) { return e.batch != &b; });
        for (auto it = keep; it != retryHeap.end(); ++it) {
            count_locked(b, &BatchCounters::retrying, &BatchCounters::canceled);
            lastErrors.erase(it->task.id);
            finishTask_locked(b, it->task, ResultStatus::Canceled, false, QString(), QVariant());
        }
        retryHeap.erase(keep, retryHeap.end());
        std::make_heap(retryHeap.begin(), retryHeap.end(), retryLater);
    }
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
}

void PoolEnginePrivate::promoteDueRetries_locked(qint64 nowNs)
{
    while (!retryHeap.empty() && retryHeap.front().readyNs <= nowNs) {
        std::pop_heap(retryHeap.begin(), retryHeap.end(), retryLater);
        RetryEntry e = std::move(retryHeap.back());
        retryHeap.pop_back();
        Batch &b = *e.batch;
        count_locked(b, &BatchCounters::retrying, &BatchCounters::queued);
        // A due retry goes where its id says, usually first: ids grow along a queue (tasks a
        // chunk gave back may be older, and returnToQueue_locked relies on the order).
        const TaskId id = e.task.id;
        b.queue.insert(std::find_if(b.queue.begin(), b.queue.end(),
                                    [id](const QueuedTask &t) { return t.id > id; }),
                       std::move(e.task));
        enterRing_locked(b);
        if (idleThreads > wakesPending) {
            ++wakesPending;
            workAvailable.notify_one();
        }
    }
}

// The dispatcher: picks the next task by strict priority, round-robin between the batches of
// a level and FIFO inside a batch, asking each policy (concurrency, pause, rate, memory) whether
// it may start now. Never waits: when nothing may start, says when to look again.
bool PoolEnginePrivate::tryDispatch_locked(Dispatched &out, qint64 &nextEventNs)
{
    nextEventNs = -1;
    drainIntake_locked();
    auto noteEvent = [&nextEventNs](qint64 at) {
        if (nextEventNs < 0 || at < nextEventNs)
            nextEventNs = at;
    };
    // Only the time-based policies need the clock; skip reading it when none is active.
    const bool timed = !retryHeap.empty() || !globalRate.isUnlimited() || rateLimitedBatches > 0;
    const qint64 nowNs = timed ? clock->nowNs() : 0;
    if (!retryHeap.empty()) {
        promoteDueRetries_locked(nowNs);
        if (!retryHeap.empty())
            noteEvent(retryHeap.front().readyNs);
    }
    if (pausedAll || stopping || runningNow_locked() >= target || totals.queued == 0)
        return false;
    if (!globalRate.canTake(nowNs)) {
        noteEvent(globalRate.nextTokenAtNs(nowNs));
        return false;
    }
    for (int level = PriorityLevels - 1; level >= 0; --level) {
        auto &ring = rings[level];
        for (size_t i = 0; i < ring.size();) {
            Batch &b = *ring[i];
            if (b.queue.empty()) {
                b.inRing = false;
                ring.erase(ring.begin() + qsizetype(i));
                continue;
            }
            if (b.paused || b.canceled) {
                ++i;
                continue;
            }
            if (!b.rate.isUnlimited() && !b.rate.canTake(nowNs)) {
                noteEvent(b.rate.nextTokenAtNs(nowNs));
                ++i;
                continue;
            }
            // Memory is shared by all: the next task in order waits for room rather than being
            // overtaken by smaller ones forever.
            if (!memory.canStart(b.queue.front().cost))
                return false;
            globalRate.tryTake(nowNs);
            b.rate.tryTake(nowNs);
            out.batch = &b;
            out.task = std::move(b.queue.front());
            b.queue.pop_front();
            if (b.queue.empty()) {
                b.inRing = false;
                ring.erase(ring.begin() + qsizetype(i));
            } else if (ring.size() > 1) {
                ring.erase(ring.begin() + qsizetype(i));
                ring.push_back(&b); // round-robin: to the back of its level
            }
            return true;
        }
    }
    // Nothing queued is ready, but a chunk may hold tasks it has not started (its worker may be
    // stuck in a slow one): take them back and look again.
    if (activeChunks > 0 && reclaimChunks_locked(nullptr))
        return tryDispatch_locked(out, nextEventNs);
    return false;
}

void PoolEnginePrivate::wakeWorkers_locked(bool all)
{
    if (all) {
        if (idleThreads > 0) {
            workAvailable.notify_all();
            wakesPending = idleThreads;
        }
    } else if (idleThreads > wakesPending) {
        ++wakesPending;
        workAvailable.notify_one();
        return;
    } else if (idleThreads > 0) {
        return; // a notified thread is on its way and will look for more work
    }
    // Start threads for work that has no idle thread to take it.
    const qint64 wanted = qMin<qint64>(target, totals.running + totals.queued);
    qint64 toStart = wanted - liveThreads;
    if (!all)
        toStart = qMin<qint64>(toStart, 1);
    for (qint64 i = 0; i < toStart; ++i)
        spawnWorker_locked();
}

void PoolEnginePrivate::spawnWorker_locked()
{
    if (stopping || detached)
        return;
    auto me = workers.emplace(workers.end());
    ++liveThreads;
    syncThreadHint_locked();
    std::thread(&PoolEnginePrivate::workerMain, shared_from_this(), me).detach();
}

void PoolEnginePrivate::applyTarget_locked(int newTarget)
{
    if (newTarget < target)
        interruptChunks_locked(); // shrinking happens at task boundaries; a chunk has many
    target = newTarget;
    syncThreadHint_locked();
    if (!shuttingDown)
        wakeWorkers_locked(true);
    // Surplus threads retire by themselves at their next task boundary.
}

void PoolEnginePrivate::autoSample_locked(qint64 wallNs, qint64 cpuNs, qint64 steadyNow)
{
    window.taskWallNs += wallNs;
    window.taskCpuNs += cpuNs;
    ++window.tasks;
    if (windowStartNs == 0) {
        windowStartNs = steadyNow;
        readMachineTicks(machineBusyTicks, machineTotalTicks);
        return;
    }
    if (steadyNow - windowStartNs < autoIntervalNs)
        return;
    window.intervalNs = steadyNow - windowStartNs;
    drainIntake_locked(); // the backlog includes what waits in the intake
    window.backlog = totals.queued > 0;
    quint64 busy = 0, total = 0;
    window.machineIdle = -1;
    if (readMachineTicks(busy, total) && total > machineTotalTicks) {
        const double dTotal = double(total - machineTotalTicks);
        window.machineIdle = 1.0 - double(busy - machineBusyTicks) / dTotal;
        machineBusyTicks = busy;
        machineTotalTicks = total;
    }
    const int next = scaler.update(window);
    window = AutoSample();
    windowStartNs = steadyNow;
    if (next != target)
        applyTarget_locked(next);
}

void PoolEnginePrivate::complete_locked(Dispatched &job, TaskOutcome &&outcome)
{
    Batch &b = *job.batch;
    QueuedTask &t = job.task;
    memory.finish(t.cost);
    count_locked(b, &BatchCounters::running, nullptr);
    ResultStatus status = ResultStatus::Done;
    bool transient = false;
    switch (outcome.kind) {
    case OutcomeKind::Done:
        count_locked(b, nullptr, &BatchCounters::done);
        break;
    case OutcomeKind::Skipped:
        count_locked(b, nullptr, &BatchCounters::skipped);
        status = ResultStatus::Skipped;
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
        if (b.canceled || shuttingDown) {
            count_locked(b, nullptr, &BatchCounters::canceled);
            status = ResultStatus::Canceled;
            break;
        }
        requeueBlocked_locked(b, t, std::move(outcome.message));
        return;
    case OutcomeKind::TransientFailure:
        if (b.canceled || shuttingDown) {
            count_locked(b, nullptr, &BatchCounters::canceled);
            status = ResultStatus::Canceled;
        } else if (backoff.shouldRetry(t.attempts)) {
            count_locked(b, nullptr, &BatchCounters::retrying);
            lastErrors[t.id] = outcome.message;
            RetryEntry e{clock->nowNs() + backoff.delayNs(t.attempts), ++retrySequence, job.batch,
                         std::move(t)};
            retryHeap.push_back(std::move(e));
            std::push_heap(retryHeap.begin(), retryHeap.end(), retryLater);
            refreshState_locked(b);
            return;
        } else {
            count_locked(b, nullptr, &BatchCounters::failed);
            status = ResultStatus::Failed;
            transient = true;
        }
        break;
    }
    if (t.attempts > 1)
        lastErrors.erase(t.id);
    finishTask_locked(b, t, status, transient, std::move(outcome.message),
                      std::move(outcome.detail));
    refreshState_locked(b);
    // Wake waiters only for what they wait for: an idle pool, or the end of a shutdown drain.
    if (isIdle_locked() || (shuttingDown && runningNow_locked() == 0))
        progressMade.notify_all();
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
    if (isIdle_locked() || (shuttingDown && runningNow_locked() == 0))
        progressMade.notify_all();
}

TaskOutcome PoolEnginePrivate::runTask(Batch &b, QueuedTask &task)
{
    const TaskContext ctx(&b.cancelToken, task.id, b.id, task.attempts);
    try {
        if (task.run)
            return task.run(ctx);
        return TaskOutcome::permanentFailure(QStringLiteral("empty task"));
    } catch (const std::exception &e) {
        return TaskOutcome::permanentFailure(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        return TaskOutcome::permanentFailure(QStringLiteral("unknown exception"));
    }
}

// Waits for something to do. Returns false when this thread should exit (idle too long).
bool PoolEnginePrivate::waitForWork_locked(PoolLock &lock, qint64 nextEventNs, bool &linger,
                                           WorkerInfo &me)
{
    // A producer feeding tiny tasks is usually just behind the workers. Instead of parking
    // until woken (a wake-up per task costs far more than the task), linger: nap briefly
    // while submits do not wake us, then take what piled up in one chunk. Stop lingering as
    // soon as a nap sees no new submission.
    if (linger && !pausedAll && !stopping && !shuttingDown) {
        const quint64 seen = submitCount;
        ++idleThreads;
        ++lingering;
        workAvailable.wait_for(lock, std::chrono::microseconds(LingerUs));
        --lingering;
        --idleThreads;
        if (wakesPending > 0)
            --wakesPending;
        linger = submitCount != seen || intakePending.load(std::memory_order_relaxed) != 0;
        return true;
    }
    const auto idleDeadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(idleTimeoutMs);
    auto wakeAt = idleDeadline;
    if (nextEventNs >= 0 && !clock->isManual()) {
        const qint64 inNs = qMax<qint64>(0, nextEventNs - clock->nowNs());
        wakeAt =
            std::min(wakeAt, std::chrono::steady_clock::now() + std::chrono::nanoseconds(inNs));
    }
    if (parkingHook)
        parkingHook();
    // Parked: submits must take the lock to wake us (see needLock). A task submitted before
    // they could know is in the intake: look once more.
    needLock.fetch_add(1, std::memory_order_seq_cst);
    if (intakePending.load(std::memory_order_seq_cst) != 0) {
        needLock.fetch_sub(1, std::memory_order_seq_cst);
        return true;
    }
    ++idleThreads;
    const std::cv_status st = workAvailable.wait_until(lock, wakeAt);
    --idleThreads;
    if (wakesPending > 0)
        --wakesPending;
    if (st == std::cv_status::timeout && std::chrono::steady_clock::now() >= idleDeadline &&
        !shuttingDown) {
        drainIntake_locked();
        if (isIdle_locked()) {
            if (autoMode) {
                scaler.reset();
                target = scaler.target();
            }
            // Still counted as parked until workerMain has counted the thread out.
            me.exitsParked = true;
            return false;
        }
    }
    needLock.fetch_sub(1, std::memory_order_seq_cst);
    return true;
}

void PoolEnginePrivate::enterRing_locked(Batch &b)
{
    if (b.inRing)
        return;
    rings[int(b.priority)].push_back(&b);
    b.inRing = true;
    // Strict priority and round-robin: chunks of this level and below give back what they
    // have not started, so the new batch is served at its proper turn.
    if (activeChunks > 0)
        reclaimChunks_locked(nullptr, int(b.priority), &b);
}

bool PoolEnginePrivate::reclaimChunks_locked(const Batch *only, int maxLevel, const Batch *except)
{
    bool any = false;
    for (Chunk *c : chunks) {
        Batch &b = *c->batch;
        if ((only && &b != only) || &b == except || (maxLevel >= 0 && int(b.priority) > maxLevel))
            continue;
        const int from = c->next.exchange(c->size, std::memory_order_acq_rel);
        if (from >= c->size)
            continue;
        c->reclaimedFrom = from;
        returnToQueue_locked(b, c->tasks, from, c->size);
        any = true;
    }
    return any;
}

// Puts tasks [from, to) of a chunk back into their batch's queue where their ids say they
// belong (ids grow with submission), so FIFO holds however many chunks give tasks back.
void PoolEnginePrivate::returnToQueue_locked(Batch &b, std::vector<QueuedTask> &tasks, int from,
                                             int to)
{
    if (from >= to)
        return;
    const TaskId firstId = tasks[size_t(from)].id;
    auto at = std::find_if(b.queue.begin(), b.queue.end(),
                           [firstId](const QueuedTask &t) { return t.id > firstId; });
    b.queue.insert(at, std::make_move_iterator(tasks.begin() + from),
                   std::make_move_iterator(tasks.begin() + to));
    if (!b.inRing) {
        rings[int(b.priority)].push_back(&b);
        b.inRing = true;
    }
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
}

BatchCounters PoolEnginePrivate::published_locked(const Batch *b) const
{
    BatchCounters c = b ? b->counters : totals;
    for (const Chunk *chunk : chunks) {
        if (b && chunk->batch != b)
            continue;
        // Each atomic is read once: the worker moves on while we read, and two reads of one
        // counter could count a task twice. A claimed task counts as started: once claimed it
        // runs, whatever a pause or cancel says after that.
        const qint64 started = chunk->reclaimedFrom >= 0
                                   ? chunk->reclaimedFrom
                                   : qMin(chunk->next.load(std::memory_order_acquire), chunk->size);
        qint64 finished[4];
        for (int s = 0; s < 4; ++s)
            finished[s] = chunk->finished[s].load(std::memory_order_acquire);
        const qint64 total = finished[0] + finished[1] + finished[2] + finished[3];
        c.queued -= qMax(started, total);
        c.running += qMax<qint64>(0, started - total);
        c.done += finished[int(ResultStatus::Done)];
        c.skipped += finished[int(ResultStatus::Skipped)];
        c.failed += finished[int(ResultStatus::Failed)];
        c.canceled += finished[int(ResultStatus::Canceled)];
    }
    return c;
}

// How many tasks of this batch a worker may take in one go: more than one only for tiny tasks
// (measured under MaxTinyTaskNs) when no time or memory policy needs to see each task.
int PoolEnginePrivate::chunkSize_locked(const Batch &b) const
{
    constexpr int MaxChunk = 256;
    if (!hasTinyTasks(b))
        return 1;
    if (!globalRate.isUnlimited() || !b.rate.isUnlimited() || memory.budget() > 0)
        return 1;
    // Strict priority: with work waiting at a higher level (paused or rate-limited now, but it
    // may become ready at any moment), take just one.
    for (int level = int(b.priority) + 1; level < PriorityLevels; ++level) {
        if (!rings[level].empty())
            return 1;
    }
    // Round-robin is per task: with another batch waiting at this level, take just one.
    const auto &ring = rings[int(b.priority)];
    if (ring.size() > 1 || (ring.size() == 1 && ring.front() != &b))
        return 1;
    // A parked worker could not help if a slow task turned up inside the chunk; one that is
    // awake (or napping) reclaims the chunk's rest when it runs out of work.
    if (idleThreads > lingering)
        return 1;
    // Leave some for another worker; for tiny tasks the split hardly matters.
    const qint64 share = qint64(b.queue.size()) / 2 + 1;

    return int(std::min<qint64>(share, MaxChunk));
}

// After a submit: does the new task need a parked worker woken? Not when the batch's tasks are
// tiny and a napping worker (see waitForWork_locked) will pick it up within LingerUs: a wake-up
// costs more than such a task. Workers busy with a task do not count: it may be a slow one.
bool PoolEnginePrivate::needsAnotherWorker_locked(const Batch &b) const
{
    constexpr qint64 TinyBacklogPerWorker = 64;
    const int comingSoon = lingering + wakesPending;
    if (comingSoon <= 0 || liveThreads < target || !hasTinyTasks(b))
        return true;
    return b.counters.queued >= TinyBacklogPerWorker * comingSoon;
}

void PoolEnginePrivate::recordDuration_locked(Batch &b, qint64 wallNs, qint64 tasks)
{
    if (tasks <= 0)
        return;
    const qint64 perTask = wallNs / tasks;
    b.avgTaskNs = b.avgTaskNs < 0 ? perTask : (b.avgTaskNs * 3 + perTask) / 4;
    b.timedTasks += int(qMin<qint64>(tasks, 1 << 20));
}

void PoolEnginePrivate::startTask_locked(Batch &b, QueuedTask &task,
                                         std::list<WorkerInfo>::iterator me)
{
    if (!b.started) {
        b.started = true;
        b.firstDispatchNs = steadyNowNs();
    }
    refreshState_locked(b);
    if (b.blockedProducers > 0)
        roomInQueue.notify_all();
    me->currentTask.store(task.id, std::memory_order_relaxed);
}

void PoolEnginePrivate::runLoop(PoolLock &lock, std::list<WorkerInfo>::iterator me)
{
    Dispatched job;
    bool linger = false; // just served an open batch of tiny tasks: more are likely coming
    for (;;) {
        if (stopping || detached || liveThreads > target)
            return; // task boundary: retire
        qint64 nextEventNs = -1;
        if (!tryDispatch_locked(job, nextEventNs)) {
            if (!waitForWork_locked(lock, nextEventNs, linger, *me))
                return;
            continue;
        }
        linger = hasTinyTasks(*job.batch) && !job.batch->closed;
        const int chunk = chunkSize_locked(*job.batch);
        // More work than this worker is taking: make sure someone else comes for it (submits
        // of tiny tasks may have skipped the wake-up, counting on this worker). A chunk is only
        // made when no worker is parked, and napping ones come back by themselves.
        if (totals.queued > qint64(chunk) && (chunk == 1 || liveThreads < target))
            wakeWorkers_locked(false);
        if (chunk > 1)
            runChunk(lock, job, chunk, me);
        else
            runOne(lock, job, me);
        if (detached)
            return;
        // Freed memory may let an idle thread start a task this one cannot take alone.
        if (idleThreads > 0 && totals.queued > 0 && memory.budget() > 0)
            workAvailable.notify_one();
        job = Dispatched();
    }
}

// One task, counted as running for its whole run. Entered and left with the lock held.
void PoolEnginePrivate::runOne(PoolLock &lock, Dispatched &job, std::list<WorkerInfo>::iterator me)
{
    Batch &b = *job.batch;
    ++job.task.attempts;
    count_locked(b, &BatchCounters::queued, &BatchCounters::running);
    memory.start(job.task.cost);
    peakRunning = qMax<int>(peakRunning, int(runningNow_locked()));
    startTask_locked(b, job.task, me);
    const bool measureCpu = autoMode;
    lock.unlock();

    const qint64 wall0 = steadyNowNs();
    const qint64 cpu0 = measureCpu ? threadCpuNs() : 0;
    TaskOutcome outcome = runTask(b, job.task);
    const qint64 wallNs = steadyNowNs() - wall0;
    const qint64 cpuNs = measureCpu ? threadCpuNs() - cpu0 : 0;
    if (outcome.kind != OutcomeKind::TransientFailure && outcome.kind != OutcomeKind::Blocked)
        job.task.run = nullptr; // release the callable's captures outside the lock

    lock.lock();
    me->currentTask.store(0, std::memory_order_relaxed);
    if (detached) {
        // Abandoned after a shutdown deadline and the engine is gone: nobody listens.
        count_locked(b, &BatchCounters::running, &BatchCounters::canceled);
        return;
    }
    recordDuration_locked(b, wallNs, 1);
    complete_locked(job, std::move(outcome));
    if (measureCpu)
        autoSample_locked(wallNs, cpuNs, steadyNowNs());
}

// Up to `size` tiny tasks of one batch for one lock round trip. The first is the dispatched
// one; the rest are claimed one at a time (see Chunk) and may be reclaimed by others meanwhile.
void PoolEnginePrivate::runChunk(PoolLock &lock, Dispatched &job, int size,
                                 std::list<WorkerInfo>::iterator me)
{
    Batch &b = *job.batch;
    Chunk chunk;
    chunk.batch = &b;
    chunk.tasks.reserve(size_t(size));
    chunk.tasks.push_back(std::move(job.task));
    while (int(chunk.tasks.size()) < size && !b.queue.empty()) {
        chunk.tasks.push_back(std::move(b.queue.front()));
        b.queue.pop_front();
    }
    chunk.size = int(chunk.tasks.size());
    if (b.queue.empty() && b.inRing) {
        auto &ring = rings[int(b.priority)];
        ring.erase(std::remove(ring.begin(), ring.end(), &b), ring.end());
        b.inRing = false;
    }
    // One task of the chunk runs at a time: charge the largest estimate among them, so the
    // memory budget (and a budget set while the chunk runs) sees it.
    for (const QueuedTask &t : chunk.tasks)
        chunk.chargedCost = qMax(chunk.chargedCost, t.cost);
    memory.start(chunk.chargedCost);
    chunks.push_back(&chunk);
    updateChunkHint_locked();
    ++b.activeChunks;
    ++activeChunks;
    peakRunning = qMax<int>(peakRunning, int(runningNow_locked()));
    startTask_locked(b, chunk.tasks.front(), me);
    // A task another batch submitted through the intake before it could see this chunk (see
    // chunkBatchHint) enters its ring now, and takes back what fairness says it must.
    drainIntake_locked();
    const bool measureCpu = autoMode;
    const bool collect = collectEvents;
    lock.unlock();

    // The results of terminal tasks are built here, without the lock, as one block.
    QVector<TaskResult> results;
    if (collect)
        results.reserve(chunk.size);
    ChunkEnd end;
    const qint64 wall0 = steadyNowNs();
    const qint64 cpu0 = measureCpu ? threadCpuNs() : 0;
    // Only this thread writes `finished`: plain stores, no read-modify-write.
    qint64 finished[4] = {0, 0, 0, 0};
    for (int i = 0; i < chunk.size;) {
        QueuedTask &t = chunk.tasks[size_t(i)];
        ++t.attempts;
        me->currentTask.store(t.id, std::memory_order_relaxed);
        TaskOutcome outcome = runTask(b, t);
        ++end.ran;
        if (outcome.kind == OutcomeKind::TransientFailure || outcome.kind == OutcomeKind::Blocked) {
            end.stopped = std::move(outcome); // retries and requeues need the lock: end here
            break;
        }
        t.run = nullptr;
        const ResultStatus status = statusOf(outcome.kind);
        if (collect)
            results.append(TaskResult{t.id, b.id, t.tag, status, false, t.attempts,
                                      std::move(outcome.message), std::move(outcome.detail)});
        chunk.finished[int(status)].store(++finished[int(status)], std::memory_order_release);
        i = chunk.next.fetch_add(1, std::memory_order_acq_rel);
    }
    const qint64 wallNs = steadyNowNs() - wall0;
    const qint64 cpuNs = measureCpu ? threadCpuNs() - cpu0 : 0;

    lock.lock();
    finishChunk_locked(chunk, end, results, me);
    recordDuration_locked(b, wallNs, end.ran);
    if (measureCpu)
        autoSample_locked(wallNs, cpuNs, steadyNowNs());
}

void PoolEnginePrivate::finishChunk_locked(Chunk &chunk, ChunkEnd &end,
                                           QVector<TaskResult> &results,
                                           std::list<WorkerInfo>::iterator me)
{
    Batch &b = *chunk.batch;
    me->currentTask.store(0, std::memory_order_relaxed);
    chunks.erase(std::find(chunks.begin(), chunks.end(), &chunk));
    updateChunkHint_locked();
    --b.activeChunks;
    --activeChunks;
    memory.finish(chunk.chargedCost);
    // Whatever was neither run nor reclaimed goes back to the queue, in order.
    const int from = chunk.next.exchange(chunk.size, std::memory_order_acq_rel);
    returnToQueue_locked(b, chunk.tasks, qMin(from, chunk.size), chunk.size);
    if (b.canceled)
        cancelPending_locked(b);

    if (detached) {
        b.counters.queued -= end.ran;
        b.counters.canceled += end.ran;
        return;
    }
    // Terminal outcomes move from queued in one go; a transient failure goes the long way.
    ChunkTally tally;
    for (int s = 0; s < 4; ++s)
        tally.counts[s] = chunk.finished[s].load(std::memory_order_relaxed);
    tally.apply(b.counters);
    tally.apply(totals);
    if (b.blockedProducers > 0)
        roomInQueue.notify_all(); // the chunk's finished tasks no longer count as queued
    if (!results.isEmpty()) {
        const bool wasEmpty = events.isEmpty();
        events.results.push_back(std::move(results)); // the whole block: no result is moved
        pushEvent_locked(wasEmpty);
    }
    const qint64 terminal = end.stopped ? end.ran - 1 : end.ran;
    if (!lastErrors.empty()) {
        for (qint64 i = 0; i < terminal; ++i) {
            const QueuedTask &t = chunk.tasks[size_t(i)];
            if (t.attempts > 1)
                lastErrors.erase(t.id);
        }
    }
    if (end.stopped) {
        // The task that ended the chunk with a transient failure or Blocked goes the long way.
        Dispatched retry{&b, std::move(chunk.tasks[size_t(terminal)])};
        count_locked(b, &BatchCounters::queued, &BatchCounters::running);
        memory.start(retry.task.cost); // balanced by complete_locked()
        complete_locked(retry, std::move(*end.stopped));
    }
    refreshState_locked(b);
    if (isIdle_locked() || (shuttingDown && runningNow_locked() == 0))
        progressMade.notify_all();
}

void PoolEnginePrivate::workerMain(std::shared_ptr<PoolEnginePrivate> self,
                                   std::list<WorkerInfo>::iterator me)
{
    PoolLock lock(self->mutex);
    self->runLoop(lock, me);
    const bool exitsParked = me->exitsParked;
    self->workers.erase(me);
    --self->liveThreads;
    self->syncThreadHint_locked();
    if (exitsParked)
        self->needLock.fetch_sub(1, std::memory_order_seq_cst);
    // A thread that retired after being woken (the target shrank) used up that wake-up: pass
    // it on, so queued work does not wait for another thread's idle timeout.
    if (!self->stopping && !self->detached) {
        self->drainIntake_locked();
        if (self->totals.queued > 0)
            self->wakeWorkers_locked(false);
    }
    self->progressMade.notify_all();
    lock.unlock();
    // `self` may be the last reference: the engine's state is freed here, on this thread.
}

// ================================================================================================
// PoolEngine
// ================================================================================================

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
    d->detached = true;
    d->onEventsPending = nullptr;
    d->workAvailable.notify_all();
    // Let the idle threads leave (briefly); abandoned ones keep the state alive on their own.
    const int abandoned = int(d->report.abandoned);
    d->progressMade.wait_for(lock, std::chrono::milliseconds(500),
                             [&] { return d->liveThreads <= abandoned; });
}

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
    d->globalRate.reset(limit, d->clock->nowNs());
    d->wakeWorkers_locked(true);
}

RateLimit PoolEngine::rateLimit() const
{
    PoolGuard lock(d->mutex);
    return d->globalRate.limit();
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
    d->memory.setBudget(bytes);
    d->wakeWorkers_locked(true);
}

qint64 PoolEngine::memoryBudget() const
{
    PoolGuard lock(d->mutex);
    return d->memory.budget();
}

BatchId PoolEngine::createBatch(const BatchOptions &options)
{
    PoolGuard lock(d->mutex);
    if (d->shuttingDown)
        return 0;
    auto b = std::make_unique<Batch>();
    b->id = d->nextBatchId++;
    b->name = options.name;
    b->priority = options.priority;
    b->maxQueued = qMax<qint64>(0, options.maxQueued);
    b->rate.reset(options.rate, d->clock->nowNs());
    if (!b->rate.isUnlimited())
        ++d->rateLimitedBatches;
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
    if (!b->rate.isUnlimited())
        --d->rateLimitedBatches;
    for (auto &ring : d->rings)
        ring.erase(std::remove(ring.begin(), ring.end(), b), ring.end());
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
    if (b->inRing) {
        auto &old = d->rings[int(b->priority)];
        old.erase(std::remove(old.begin(), old.end(), b), old.end());
        b->inRing = false;
    }
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
    d->rateLimitedBatches += int(!limit.isUnlimited()) - int(!b->rate.isUnlimited());
    b->rate.reset(limit, d->clock->nowNs());
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

namespace {

SubmitStatus refusal_locked(const PoolEnginePrivate &d, const Batch *b)
{
    if (d.shuttingDown)
        return SubmitStatus::PoolShutDown;
    if (!b)
        return SubmitStatus::UnknownBatch;
    if (b->canceled)
        return SubmitStatus::BatchCanceled;
    if (b->closed)
        return SubmitStatus::BatchClosed;
    return SubmitStatus::Accepted;
}
} // namespace

// Waits, with the lock held on entry and exit, until the batch has room for one more queued
// task. Returns the refusal that ended the wait, or Accepted.
SubmitStatus PoolEnginePrivate::waitForRoom_locked(PoolLock &lock, BatchId id, Batch *&b,
                                                   QDeadlineTimer deadline)
{
    SubmitStatus refusal = refusal_locked(*this, b);
    while (refusal == SubmitStatus::Accepted && b->maxQueued > 0 &&
           b->counters.queued >= b->maxQueued) {
        if (deadline.hasExpired())
            return SubmitStatus::TimedOut;
        ++b->blockedProducers;
        if (deadline.isForever())
            roomInQueue.wait(lock);
        else
            roomInQueue.wait_until(lock, steadyPoint(deadline.deadlineNSecs()));
        --b->blockedProducers; // removeBatch() leaves a batch alone while producers wait on it
        b = find_locked(id);
        refusal = refusal_locked(*this, b);
    }
    return refusal;
}

// Queues `count` tasks with the pool's lock held. The intake is emptied and their ids taken in one
// intakeMutex section, so they come after everything submitted before and before anything
// submitted after: ids keep growing along each queue (returnToQueue_locked relies on it).
TaskId PoolEnginePrivate::enqueue_locked(Batch &b, Task *tasks, qint64 count)
{
    TaskId first;
    {
        PoolGuard intake(intakeMutex);
        swapIntake_held();
        first = nextTaskId;
        nextTaskId += TaskId(count);
    }
    queueDrained_locked();
    for (qint64 i = 0; i < count; ++i) {
        Task &task = tasks[i];
        b.queue.push_back(
            QueuedTask{std::move(task.run), task.costBytes, task.tag, first + TaskId(i), 0});
    }
    b.counters.submitted += count;
    b.counters.queued += count;
    totals.submitted += count;
    totals.queued += count;
    submitCount += quint64(count);
    enterRing_locked(b);
    return first;
}

SubmitResult PoolEngine::submit(BatchId batch, Task task, QDeadlineTimer deadline)
{
    // Unbounded batches: into the intake, without the pool's lock (see PoolEnginePrivate).
    TaskId id = 0;
    bool first = false; // the batch had nothing in the intake
    {
        PoolGuard intake(d->intakeMutex);
        Batch *b = d->find_locked(batch);
        const SubmitStatus refusal = refusal_locked(*d, b);
        if (refusal != SubmitStatus::Accepted)
            return {refusal, 0, 0};
        if (b->maxQueued == 0) {
            id = d->nextTaskId++;
            first = b->incoming.empty();
            if (first) {
                if (d->intakeBatches.empty())
                    d->intakePending.store(1, std::memory_order_seq_cst);
                d->intakeBatches.push_back(b);
            }
            b->incoming.push_back(QueuedTask{std::move(task.run), task.costBytes, task.tag, id, 0});
        }
    }
    if (id != 0) {
        // The lock is needed to wake or start a worker, and when a chunk of another batch runs:
        // it may have to give tasks back now that this batch has work (fairness, priority).
        if (!first)
            return {SubmitStatus::Accepted, id, 1};
        const quint64 chunkBatch = d->chunkBatchHint.load(std::memory_order_seq_cst);
        if (d->needLock.load(std::memory_order_seq_cst) > 0 ||
            (chunkBatch != 0 && chunkBatch != batch)) {
            PoolGuard lock(d->mutex);
            d->drainIntake_locked();
            Batch *b = d->find_locked(batch);
            if (b && !d->pausedAll && !b->paused && d->needsAnotherWorker_locked(*b))
                d->wakeWorkers_locked(false);
        }
        return {SubmitStatus::Accepted, id, 1};
    }

    // Bounded batches wait for room under the pool's lock.
    PoolLock lock(d->mutex);
    Batch *b = d->find_locked(batch);
    const SubmitStatus refusal = d->waitForRoom_locked(lock, batch, b, deadline);
    if (refusal != SubmitStatus::Accepted)
        return {refusal, 0, 0};
    id = d->enqueue_locked(*b, &task, 1);
    if (!d->pausedAll && !b->paused && d->needsAnotherWorker_locked(*b))
        d->wakeWorkers_locked(false);
    return {SubmitStatus::Accepted, id, 1};
}

SubmitResult PoolEngine::submitMany(BatchId batch, std::vector<Task> &tasks,
                                    QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    Batch *b = d->find_locked(batch);
    SubmitResult result{SubmitStatus::Accepted, 0, 0};
    if (tasks.empty())
        return result;
    if (b && b->maxQueued == 0) {
        result.status = refusal_locked(*d, b);
        if (result.status != SubmitStatus::Accepted)
            return result;
        result.taskId = d->enqueue_locked(*b, tasks.data(), qint64(tasks.size()));
        result.accepted = qint64(tasks.size());
        if (!d->pausedAll && !b->paused)
            d->wakeWorkers_locked(true);
        return result;
    }
    for (Task &task : tasks) {
        result.status = d->waitForRoom_locked(lock, batch, b, deadline);
        if (result.status != SubmitStatus::Accepted)
            break;
        const TaskId id = d->enqueue_locked(*b, &task, 1);
        if (result.accepted++ == 0)
            result.taskId = id;
        // Bounded batches: let workers start while this producer waits for room.
        if (b->maxQueued > 0 && b->counters.queued >= b->maxQueued && !d->pausedAll && !b->paused)
            d->wakeWorkers_locked(true);
    }
    if (b && result.accepted > 0 && !d->pausedAll && !b->paused)
        d->wakeWorkers_locked(true);
    return result;
}

SubmitResult PoolEngine::trySubmit(BatchId batch, Task task)
{
    // submit() with an expired deadline never waits: a full queue comes back as TimedOut.
    SubmitResult r = submit(batch, std::move(task), QDeadlineTimer(0));
    if (r.status == SubmitStatus::TimedOut)
        r.status = SubmitStatus::WouldBlock;
    return r;
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
        s.elapsedMs =
            ((isTerminal(b->state) ? b->finishNs : steadyNowNs()) - b->firstDispatchNs) / NsPerMs;
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
    s.runningCostBytes = d->memory.inUse();
    return s;
}

void PoolEngine::setEventsCallback(std::function<void(bool batchEnded)> onPending)
{
    PoolGuard lock(d->mutex);
    d->onEventsPending = std::move(onPending);
    if (d->onEventsPending && (!d->events.isEmpty() || !d->deferredCanceled.empty()))
        d->onEventsPending(false);
}

void PoolEngine::setCollectEvents(bool collect)
{
    PoolGuard lock(d->mutex);
    d->collectEvents = collect;
    if (!collect) {
        d->events.clear();
        d->deferredCanceled.clear();
    }
}

void PoolEngine::takeEvents(PoolEvents &out)
{
    out.clear();
    std::vector<DeferredCanceled> canceled;
    {
        PoolGuard lock(d->mutex);
        std::swap(out, d->events);
        std::swap(canceled, d->deferredCanceled);
    }
    // Results of tasks canceled while queued, built here rather than under the pool's lock.
    for (DeferredCanceled &batch : canceled) {
        QVector<TaskResult> block;
        block.reserve(qsizetype(batch.queued.size() + batch.intake.size()));
        auto add = [&](const QueuedTask &t) {
            block.append(TaskResult{t.id, batch.batch, t.tag, ResultStatus::Canceled, false,
                                    t.attempts, QString(), QVariant()});
        };
        std::for_each(batch.queued.begin(), batch.queued.end(), add);
        std::for_each(batch.intake.begin(), batch.intake.end(), add);
        out.results.push_back(std::move(block));
    }
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
    return d->progressMade.wait_until(lock, steadyPoint(deadline.deadlineNSecs()), done);
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
    return d->progressMade.wait_until(lock, steadyPoint(deadline.deadlineNSecs()), idle);
}

bool PoolEngine::shutdown(QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    ShutdownReport report;
    d->interruptChunks_locked();
    {
        PoolGuard intake(d->intakeMutex);
        d->shuttingDown = true; // no submit gets past this; what came before is drained below
    }
    // What never started (in the queues and the intake) is canceled now; nothing new is
    // accepted.
    const qint64 canceledBefore = d->totals.canceled;
    d->drainIntake_locked();
    for (auto &entry : d->batches) {
        Batch &b = *entry.second;
        d->cancelPending_locked(b);
        d->refreshState_locked(b);
    }
    report.canceledQueued = d->totals.canceled - canceledBefore;
    d->roomInQueue.notify_all();
    auto nothingRunning = [&] {
        return d->runningNow_locked() == 0;
    };

    // Running tasks may finish until the deadline.
    if (!deadline.isForever())
        d->progressMade.wait_until(lock, steadyPoint(deadline.deadlineNSecs()), nothingRunning);
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
    for (const WorkerInfo &w : d->workers) {
        const TaskId current = w.currentTask.load(std::memory_order_relaxed);
        if (current != 0)
            report.abandonedTasks.append(current);
    }
    report.abandoned = report.abandonedTasks.size();
    report.stoppedInTime = report.abandoned == 0;
    d->stopping = true;
    d->workAvailable.notify_all();
    d->refreshAllStates_locked();
    d->report = report;
    return report.stoppedInTime;
}

bool PoolEngine::isShutDown() const
{
    PoolGuard lock(d->mutex);
    return d->shuttingDown;
}

ShutdownReport PoolEngine::lastShutdownReport() const
{
    PoolGuard lock(d->mutex);
    return d->report;
}

} // namespace sluice
