// Token bucket: a rate per second with a burst. Not thread-safe; the pool calls it under its lock.
// Idle time refills the bucket only up to the burst, so it never banks unlimited tokens.
#pragma once

#include "pooltypes.h"

namespace sluice {

class TokenBucket
{
public:
    TokenBucket() = default;
    explicit TokenBucket(RateLimit limit, qint64 nowNs = 0) { reset(limit, nowNs); }

    // Changes the limit; the bucket starts full, and generation() moves on.
    void reset(RateLimit limit, qint64 nowNs);
    // Tells tokens taken before the last reset() from those taken since: only the latter may be
    // given back (a refilled bucket owes nothing to work that started before).
    quint64 generation() const { return m_generation; }
    RateLimit limit() const { return m_limit; }
    bool isUnlimited() const { return m_limit.isUnlimited(); }

    // True when a token is there now (without taking it).
    bool canTake(qint64 nowNs);
    // Takes one token; returns false (and takes nothing) when none is there.
    bool tryTake(qint64 nowNs);
    // Returns one token taken for work that turned out to need none (never past the burst), if
    // it was taken in `generation` (the generation() when it was taken).
    void giveBack(qint64 nowNs, quint64 generation);
    // When the next token will be there; nowNs when one is there already.
    qint64 nextTokenAtNs(qint64 nowNs);
    double tokens(qint64 nowNs);

private:
    void refill(qint64 nowNs);

    RateLimit m_limit;
    double m_tokens = 0;
    qint64 m_lastNs = 0;
    quint64 m_generation = 0;
};

} // namespace sluice
