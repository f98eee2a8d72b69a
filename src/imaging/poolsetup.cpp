#include "poolsetup.h"

#include <QThread>

namespace sluice {

int autoWorkerCap()
{
    return qBound(2, 4 * QThread::idealThreadCount(), MaxWorkers);
}

PoolConfig recommendedPoolConfig(int workers, double ratePerSecond, int retries)
{
    PoolConfig config;
    config.autoWorkers = workers <= 0;
    config.workers = workers > 0 ? workers : qMax(1, QThread::idealThreadCount());
    config.autoCap = autoWorkerCap();
    config.rate = RateLimit{ratePerSecond, 1.0};
    config.retry.maxAttempts = qMax(0, retries) + 1;
    config.memoryBudgetBytes = DefaultMemoryBudgetBytes;
    return config;
}

qint64 queueBoundFor(const PoolConfig &config)
{
    const int workerSlots = config.autoWorkers ? config.autoCap : config.workers;
    return 4 * qint64(workerSlots) + 16;
}

} // namespace sluice
