// The rules the dispatcher asks before it hands out a task, other than concurrency and pause:
// the global token bucket, each batch's own token bucket (kept in its Batch) and the memory
// budget (private to src/pool).
//
// In the spirit of ThreadWeaver's QueuePolicy they sit behind one interface, called at three
// moments, so that none of them has a branch of its own in the dispatcher or the worker loop:
//   canStart()  may a task start now? Asked once per dispatch for the pool, then for the next
//               task of each batch in dispatch order. A "no" notes when to ask again.
//   started()   a dispatched task (or a chunk) starts: it takes its tokens and its memory.
//   finished()  a run ended: its memory is free again.
// The interface is not virtual: the set of rules is fixed and known here, so the calls inline
// into the dispatcher, which asks them for every task it hands out.
//
// Ownership and threads: PoolEnginePrivate::policy, called with the pool's lock held only (by
// workers while dispatching and finishing, and by PoolEngine's setters). Not thread-safe.
#pragma once

#include "batch_p.h"
#include "memorybudget.h"
#include "tokenbucket.h"

namespace sluice {

// Keeps the earliest of the times at which something may change (-1: none yet).
inline void noteEarliest(qint64 &earliestNs, qint64 atNs)
{
    if (earliestNs < 0 || atNs < earliestNs)
        earliestNs = atNs;
}

class DispatchPolicy
{
public:
    enum class Verdict : quint8
    {
        Start,     // the task may start now
        SkipBatch, // not this batch now (its bucket is empty): ask about the next batch
        Wait       // nothing may start now: stop looking
    };

    DispatchPolicy(RateLimit globalRate, qint64 memoryBudgetBytes, qint64 nowNs)
        : m_globalRate(globalRate, nowNs)
        , m_memory(memoryBudgetBytes)
    {}

    // --- The three moments ---------------------------------------------------------------------
    // The pool as a whole: the global bucket.
    Verdict canStart(qint64 nowNs, qint64 &nextEventNs)
    {
        if (m_globalRate.canTake(nowNs))
            return Verdict::Start;
        noteEarliest(nextEventNs, m_globalRate.nextTokenAtNs(nowNs));
        return Verdict::Wait;
    }
    // The next task of batch `b`, of estimated cost `cost`: the batch's bucket, then memory.
    Verdict canStart(Batch &b, qint64 cost, qint64 nowNs, qint64 &nextEventNs)
    {
        if (!b.rate.isUnlimited() && !b.rate.canTake(nowNs)) {
            noteEarliest(nextEventNs, b.rate.nextTokenAtNs(nowNs));
            return Verdict::SkipBatch;
        }
        // Memory is shared by all: the next task in order waits for room rather than being
        // overtaken by smaller ones forever.
        return m_memory.canStart(cost) ? Verdict::Start : Verdict::Wait;
    }
    // `nowNs` is the time canStart() was asked at, with the lock held since. `job`, when given,
    // keeps which tokens it took, for refund().
    void started(Batch &b, qint64 cost, qint64 nowNs, Dispatched *job = nullptr)
    {
        m_globalRate.tryTake(nowNs);
        b.rate.tryTake(nowNs);
        m_memory.start(cost);
        if (job) {
            job->globalRateGeneration = m_globalRate.generation();
            job->batchRateGeneration = b.rate.generation();
        }
    }
    void finished(qint64 cost) { m_memory.finish(cost); }
    // A task that ran and did no work (Skipped: its output was up to date, or it was not an
    // image): only real work is rate-limited, so its tokens go back, to buckets whose limit has
    // not been changed (and the bucket refilled) since it took them.
    void refund(Batch &b, const Dispatched &job, qint64 nowNs)
    {
        m_globalRate.giveBack(nowNs, job.globalRateGeneration);
        b.rate.giveBack(nowNs, job.batchRateGeneration);
    }

    // --- What the dispatcher needs to know -----------------------------------------------------
    // Only the time-based rules need the clock; the dispatcher skips reading it otherwise.
    bool needsClock() const { return !m_globalRate.isUnlimited() || m_rateLimitedBatches > 0; }
    // A rule must see each of the batch's tasks start (so no chunks of them).
    bool seesEachTask(const Batch &b) const
    {
        return !m_globalRate.isUnlimited() || !b.rate.isUnlimited() || m_memory.budget() > 0;
    }
    bool hasMemoryBudget() const { return m_memory.budget() > 0; }

    // --- Settings ------------------------------------------------------------------------------
    void setGlobalRate(RateLimit limit, qint64 nowNs) { m_globalRate.reset(limit, nowNs); }
    RateLimit globalRate() const { return m_globalRate.limit(); }
    // A new batch's limit, or a change; forgetBatch() before the batch is destroyed.
    void setBatchRate(Batch &b, RateLimit limit, qint64 nowNs)
    {
        m_rateLimitedBatches += int(!limit.isUnlimited()) - int(!b.rate.isUnlimited());
        b.rate.reset(limit, nowNs);
    }
    void forgetBatch(const Batch &b)
    {
        if (!b.rate.isUnlimited())
            --m_rateLimitedBatches;
    }
    void setMemoryBudget(qint64 bytes) { m_memory.setBudget(bytes); }
    qint64 memoryBudget() const { return m_memory.budget(); }
    qint64 memoryInUse() const { return m_memory.inUse(); }

private:
    TokenBucket m_globalRate;
    MemoryBudget m_memory;
    int m_rateLimitedBatches = 0; // batches with their own token bucket: dispatch needs the clock
};

} // namespace sluice
