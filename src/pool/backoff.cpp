#include "backoff.h"

namespace sluice {

Backoff::Backoff(RetryPolicy policy, quint32 seed)
    : m_policy(policy)
    , m_random(seed ? seed : QRandomGenerator::system()->generate())
{}

qint64 Backoff::ceilingNs(int attempt) const
{
    const qint64 base = qMax<qint64>(m_policy.baseDelayMs, 0) * 1000000;
    const qint64 cap = qMax<qint64>(m_policy.maxDelayMs, 0) * 1000000;
    qint64 ceiling = base;
    // Doubling per attempt, stopping at the cap (and long before overflow).
    for (int i = 1; i < attempt && ceiling < cap; ++i)
        ceiling *= 2;
    return qMin(ceiling, cap);
}

qint64 Backoff::delayNs(int attempt)
{
    const qint64 ceiling = ceilingNs(attempt);
    if (ceiling <= 0)
        return 0;
    // Full jitter: uniform in [0, ceiling].
    return qint64(m_random.bounded(double(ceiling) + 1.0));
}

} // namespace sluice
