#include "tokenbucket.h"

#include <cmath>

namespace sluice {

void TokenBucket::reset(RateLimit limit, qint64 nowNs)
{
    m_limit = limit;
    if (m_limit.burst < 1)
        m_limit.burst = 1;
    m_tokens = m_limit.burst;
    m_lastNs = nowNs;
    ++m_generation;
}

void TokenBucket::refill(qint64 nowNs)
{
    if (nowNs <= m_lastNs)
        return;
    const double added = double(nowNs - m_lastNs) * m_limit.perSecond / 1e9;
    m_tokens = std::min(m_limit.burst, m_tokens + added);
    m_lastNs = nowNs;
}

bool TokenBucket::canTake(qint64 nowNs)
{
    if (isUnlimited())
        return true;
    refill(nowNs);
    return m_tokens >= 1.0 - 1e-9;
}

bool TokenBucket::tryTake(qint64 nowNs)
{
    if (isUnlimited())
        return true;
    if (!canTake(nowNs))
        return false;
    m_tokens = std::max(0.0, m_tokens - 1.0);
    return true;
}

void TokenBucket::giveBack(qint64 nowNs, quint64 generation)
{
    if (isUnlimited() || generation != m_generation)
        return;
    refill(nowNs);
    m_tokens = std::min(m_limit.burst, m_tokens + 1.0);
}

qint64 TokenBucket::nextTokenAtNs(qint64 nowNs)
{
    if (isUnlimited() || canTake(nowNs))
        return nowNs;
    const double missing = 1.0 - m_tokens;
    return nowNs + qint64(std::ceil(missing * 1e9 / m_limit.perSecond));
}

double TokenBucket::tokens(qint64 nowNs)
{
    if (isUnlimited())
        return m_limit.burst;
    refill(nowNs);
    return m_tokens;
}

} // namespace sluice
