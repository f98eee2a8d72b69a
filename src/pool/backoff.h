// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
// [0, min(cap, base * 2^(n-1))]. Thread-safe only for const use; the pool calls it under its lock.
#pragma once

#include "pooltypes.h"

#include <QRandomGenerator>

namespace sluice {

class Backoff
{
public:
    explicit Backoff(RetryPolicy policy = {}, quint32 seed = 0);

    const RetryPolicy &policy() const { return m_policy; }
    void setPolicy(const RetryPolicy &policy) { m_policy = policy; }

    // May a task that just failed transiently on its attempt-th run run again?
    bool shouldRetry(int attempt) const { return attempt < m_policy.maxAttempts; }
    // Upper bound of the delay before the retry that follows the attempt-th run.
    qint64 ceilingNs(int attempt) const;
    // The jittered delay, drawn from [0, ceilingNs(attempt)].
    qint64 delayNs(int attempt);

private:
    RetryPolicy m_policy;
    QRandomGenerator m_random;
};

} // namespace sluice
