#include "eventfeed_p.h"

#include <algorithm>

namespace sluice {

void EventFeed::setCollect(bool collect)
{
    m_collect = collect;
    if (!collect) {
        m_events.clear();
        m_deferredCanceled.clear();
    }
}

void EventFeed::setCallback(std::function<void(bool batchEnded)> onPending)
{
    m_onPending = std::move(onPending);
    if (m_onPending && (!m_events.isEmpty() || !m_deferredCanceled.empty()))
        m_onPending(false);
}

void EventFeed::addResult(TaskResult &&result)
{
    const bool wasEmpty = m_events.isEmpty();
    if (m_events.results.empty())
        m_events.results.emplace_back();
    m_events.results.back().append(std::move(result));
    announce(wasEmpty);
}

void EventFeed::addBlock(QVector<TaskResult> &&block)
{
    const bool wasEmpty = m_events.isEmpty();
    m_events.results.push_back(std::move(block)); // the whole block: no result is moved
    announce(wasEmpty);
}

void EventFeed::addStateChange(BatchId batch, BatchState state)
{
    const bool wasEmpty = m_events.isEmpty();
    m_events.stateChanges.emplace_back(batch, state);
    announce(wasEmpty);
}

void EventFeed::addFinished(BatchSummary &&summary)
{
    m_events.finished.push_back(std::move(summary));
    if (m_onPending)
        m_onPending(true); // a batch ended: worth delivering now
}

void EventFeed::addCanceled(BatchId batch, std::deque<QueuedTask> &&queued)
{
    if (!m_collect)
        return;
    const bool wasEmpty = m_deferredCanceled.empty() && m_events.isEmpty();
    m_deferredCanceled.push_back(DeferredCanceled{batch, std::move(queued), {}});
    announce(wasEmpty);
}

void EventFeed::addCanceled(BatchId batch, std::vector<QueuedTask> &&intake)
{
    if (!m_collect)
        return;
    const bool wasEmpty = m_deferredCanceled.empty() && m_events.isEmpty();
    m_deferredCanceled.push_back(DeferredCanceled{batch, {}, std::move(intake)});
    announce(wasEmpty);
}

void EventFeed::take(PoolEvents &out, std::vector<DeferredCanceled> &canceled)
{
    std::swap(out, m_events);
    std::swap(canceled, m_deferredCanceled);
}

// Results of tasks canceled while queued, built here rather than under the pool's lock.
void EventFeed::appendCanceledResults(std::vector<DeferredCanceled> &canceled, PoolEvents &out)
{
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

} // namespace sluice
