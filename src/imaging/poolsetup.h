// The pool configuration both front ends start from, so that the GUI and sluice-cli run images
// the same way: worker count (fixed, or Auto up to a cap), rate, retries, the memory budget,
// and the backpressure bound a batch's feeder waits on.
#pragma once

#include <poolengine.h>

namespace sluice {

constexpr int MaxWorkers = 64;                                    // fixed counts are capped here
constexpr qint64 DefaultMemoryBudgetBytes = 1024LL * 1024 * 1024; // decoded images at once
constexpr int DefaultRetries = 2; // extra runs after the first, for transient failures

// Auto mode's cap: four threads per core (I/O-bound inputs), at least 2, at most MaxWorkers.
int autoWorkerCap();

// `workers` <= 0: Auto (starting from one per core); otherwise that many.
// `ratePerSecond` 0: unlimited. `retries`: extra runs after the first for transient failures.
PoolConfig recommendedPoolConfig(int workers, double ratePerSecond, int retries);

// BatchOptions::maxQueued for a batch on a pool so configured: the feeder stays a few tasks per
// worker ahead, no more.
qint64 queueBoundFor(const PoolConfig &config);

} // namespace sluice
