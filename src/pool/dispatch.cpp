// Dispatch: which task runs next (strict priority, round-robin between the batches of a level,
// FIFO inside a batch, as the dispatch policy allows), how many tasks a worker takes at once,
// and waking or starting workers for queued work. Called by workers with the pool's lock held.
#include "poolengine_p.h"

#include <algorithm>

namespace sluice {

// The dispatcher: picks the next task by strict priority, round-robin between the batches of
// a level and FIFO inside a batch, asking each policy (concurrency, pause, rate, memory) whether
// it may start now. Never waits: when nothing may start, says when to look again.
bool PoolEnginePrivate::tryDispatch_locked(Dispatched &out, qint64 &nextEventNs)
{
    nextEventNs = -1;
    drainIntake_locked();
    // Only the time-based policies need the clock; skip reading it when none is active.
    const bool timed = !retries.empty() || policy.needsClock();
    const qint64 nowNs = timed ? clock->nowNs() : 0;
    if (!retries.empty()) {
        promoteDueRetries_locked(nowNs);
        if (!retries.empty())
            noteEarliest(nextEventNs, retries.nextReadyNs());
    }
    if (pausedAll || !lifecycle.keepsWorkers() || runningNow_locked() >= target ||
        totals.queued == 0)
        return false;
    if (policy.canStart(nowNs, nextEventNs) != DispatchPolicy::Verdict::Start)
        return false;
    switch (takeNext_locked(out, nowNs, nextEventNs)) {
    case Pick::Taken:
        return true;
    case Pick::Wait:
        return false;
    case Pick::NoneReady:
        break;
    }
    // Nothing queued is ready, but a chunk may hold tasks it has not started (its worker may be
    // stuck in a slow one): take them back and look again.
    if (activeChunks > 0 && reclaimChunks_locked(nullptr))
        return tryDispatch_locked(out, nextEventNs);
    return false;
}

// Walks the rings from the highest level down and takes the first task the policies let start;
// its tokens and memory are taken when it starts (DispatchPolicy::started), with the lock held
// all along.
PoolEnginePrivate::Pick PoolEnginePrivate::takeNext_locked(Dispatched &out, qint64 nowNs,
                                                           qint64 &nextEventNs)
{
    for (int level = PriorityLevels - 1; level >= 0; --level) {
        BatchRings::Ring &ring = rings.level(level);
        for (size_t i = 0; i < ring.size();) {
            Batch &b = *ring[i];
            if (b.queue.empty()) {
                rings.dropAt(level, i);
                continue;
            }
            if (b.paused || b.canceled) {
                ++i;
                continue;
            }
            switch (policy.canStart(b, b.queue.front().cost, nowNs, nextEventNs)) {
            case DispatchPolicy::Verdict::Wait:
                return Pick::Wait;
            case DispatchPolicy::Verdict::SkipBatch:
                ++i;
                continue;
            case DispatchPolicy::Verdict::Start:
                break;
            }
            out.batch = &b;
            out.task = std::move(b.queue.front());
            out.nowNs = nowNs;
            b.queue.pop_front();
            rings.servedAt(level, i);
            return Pick::Taken;
        }
    }
    return Pick::NoneReady;
}

void PoolEnginePrivate::promoteDueRetries_locked(qint64 nowNs)
{
    for (;;) {
        RetryEntry e;
        if (!retries.popDue(nowNs, e))
            return;
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

void PoolEnginePrivate::enterRing_locked(Batch &b)
{
    if (!rings.add(b))
        return;
    // Strict priority and round-robin: chunks of this level and below give back what they
    // have not started, so the new batch is served at its proper turn.
    if (activeChunks > 0)
        reclaimChunks_locked(nullptr, int(b.priority), &b);
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

void PoolEnginePrivate::applyTarget_locked(int newTarget)
{
    if (newTarget < target)
        interruptChunks_locked(); // shrinking happens at task boundaries; a chunk has many
    target = newTarget;
    syncThreadHint_locked();
    if (lifecycle.acceptsWork())
        wakeWorkers_locked(true);
    // Surplus threads retire by themselves at their next task boundary.
}

// How many tasks of this batch a worker may take in one go: more than one only for tiny tasks
// (measured under MaxTinyTaskNs) when no time or memory policy needs to see each task.
int PoolEnginePrivate::chunkSize_locked(const Batch &b) const
{
    constexpr int MaxChunk = 256;
    if (!hasTinyTasks(b))
        return 1;
    if (policy.seesEachTask(b))
        return 1;
    // Strict priority: with work waiting at a higher level (paused or rate-limited now, but it
    // may become ready at any moment), take just one.
    if (rings.anyAbove(int(b.priority)))
        return 1;
    // Round-robin is per task: with another batch waiting at this level, take just one.
    if (rings.othersAt(b))
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

} // namespace sluice
