// The delay queue of tasks waiting out a backoff after a transient failure (private to
// src/pool). A waiting retry holds no worker and blocks no queue: the dispatcher promotes the
// due ones back into their batches' queues (PoolEnginePrivate::promoteDueRetries_locked) and
// sleeps no longer than until the next one is due.
//
// Ownership and threads: PoolEnginePrivate::retries owns the waiting tasks; an entry's batch
// pointer is owned by PoolEnginePrivate::batches (a batch with a waiting retry is not terminal,
// so it is not removed). Called with the pool's lock held only. Not thread-safe.
#pragma once

#include "batch_p.h"

#include <QString>
#include <algorithm>
#include <unordered_map>
#include <vector>

namespace sluice {

struct RetryEntry
{
    qint64 readyNs = 0;
    quint64 sequence = 0;   // FIFO among equal ready times
    Batch *batch = nullptr; // owned by PoolEnginePrivate::batches; lives while it has tasks
    QueuedTask task;
};

class RetryQueue
{
public:
    bool empty() const { return m_heap.empty(); }
    qint64 nextReadyNs() const { return m_heap.front().readyNs; } // when not empty()

    // Queues a task that failed transiently with `error`, to run again at readyNs.
    void push(qint64 readyNs, Batch *batch, QueuedTask &&task, const QString &error);
    // Takes the earliest entry if it is due at nowNs.
    bool popDue(qint64 nowNs, RetryEntry &out);
    // Removes every entry of batch `b`, calling each(task) for it, and forgets their errors.
    template<class Each>
    void removeBatch(const Batch &b, Each &&each);

    // The last error of tasks that have failed transiently and are not terminal yet (waiting
    // here, or queued again). Forgotten when a task ends. Nothing reads them yet.
    bool hasErrors() const { return !m_lastErrors.empty(); }
    void forgetError(TaskId id) { m_lastErrors.erase(id); }

private:
    static bool later(const RetryEntry &a, const RetryEntry &b);
    void reheap();

    std::vector<RetryEntry> m_heap; // min-heap on readyNs, then sequence
    quint64 m_sequence = 0;
    std::unordered_map<TaskId, QString> m_lastErrors;
};

template<class Each>
void RetryQueue::removeBatch(const Batch &b, Each &&each)
{
    auto keep = std::partition(m_heap.begin(), m_heap.end(),
                               [&b](const RetryEntry &e) { return e.batch != &b; });
    for (auto it = keep; it != m_heap.end(); ++it) {
        m_lastErrors.erase(it->task.id);
        each(it->task);
    }
    m_heap.erase(keep, m_heap.end());
    reheap();
}

} // namespace sluice
