// Keeps the sum of running tasks' cost estimates under a budget. A task larger than the whole
// budget may start only when nothing else is running, so it runs alone rather than never.
// Not thread-safe; the pool calls it under its lock.
#pragma once

#include <QtGlobal>

namespace sluice {

class MemoryBudget
{
public:
    explicit MemoryBudget(qint64 budgetBytes = 0)
        : m_budget(budgetBytes)
    {}

    qint64 budget() const { return m_budget; }
    void setBudget(qint64 bytes) { m_budget = bytes; } // 0 or less: unlimited
    qint64 inUse() const { return m_inUse; }
    int holders() const { return m_holders; }

    bool canStart(qint64 cost) const
    {
        if (m_budget <= 0 || m_holders == 0)
            return true;
        return cost <= m_budget - m_inUse;
    }
    void start(qint64 cost)
    {
        m_inUse += qMax<qint64>(cost, 0);
        ++m_holders;
    }
    void finish(qint64 cost)
    {
        m_inUse -= qMax<qint64>(cost, 0);
        --m_holders;
    }

private:
    qint64 m_budget;
    qint64 m_inUse = 0;
    int m_holders = 0;
};

} // namespace sluice
