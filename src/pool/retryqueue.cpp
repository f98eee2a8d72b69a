#include "retryqueue_p.h"

#include <algorithm>

namespace sluice {

bool RetryQueue::later(const RetryEntry &a, const RetryEntry &b)
{
    // std heap functions build a max-heap; invert for "earliest first".
    if (a.readyNs != b.readyNs)
        return a.readyNs > b.readyNs;
    return a.sequence > b.sequence;
}

void RetryQueue::reheap()
{
    std::make_heap(m_heap.begin(), m_heap.end(), later);
}

void RetryQueue::push(qint64 readyNs, Batch *batch, QueuedTask &&task, const QString &error)
{
    m_lastErrors[task.id] = error;
    m_heap.push_back(RetryEntry{readyNs, ++m_sequence, batch, std::move(task)});
    std::push_heap(m_heap.begin(), m_heap.end(), later);
}

bool RetryQueue::popDue(qint64 nowNs, RetryEntry &out)
{
    if (m_heap.empty() || m_heap.front().readyNs > nowNs)
        return false;
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    out = std::move(m_heap.back());
    m_heap.pop_back();
    return true;
}

} // namespace sluice
