// The pool's lock and its condition variables (private to src/pool). PoolEnginePrivate owns one
// PoolMutex for its state and a second one for the intake (see intake.cpp).
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__GLIBC__)
#include <pthread.h>
#endif

namespace sluice {

// The pool's one lock. It is held for well under a microsecond at a time, by a producer
// submitting and by workers taking chunks; with glibc's adaptive mutex a contender spins
// briefly instead of sleeping in the kernel at once, which on two cores avoids a context
// switch per contention (measured: 4-10x fewer voluntary switches on the no-op bench).
class PoolMutex
{
public:
#if defined(__GLIBC__)
    PoolMutex()
    {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
        pthread_mutex_init(&m_mutex, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    ~PoolMutex()
    {
        pthread_mutex_destroy(&m_mutex);
    }
    void lock()
    {
        pthread_mutex_lock(&m_mutex);
    }
    void unlock()
    {
        pthread_mutex_unlock(&m_mutex);
    }
    bool try_lock()
    {
        return pthread_mutex_trylock(&m_mutex) == 0;
    }

private:
    pthread_mutex_t m_mutex;
#else
    void lock()
    {
        m_mutex.lock();
    }
    void unlock()
    {
        m_mutex.unlock();
    }
    bool try_lock()
    {
        return m_mutex.try_lock();
    }

private:
    std::mutex m_mutex;
#endif
public:
    PoolMutex(const PoolMutex &) = delete;
    PoolMutex &operator=(const PoolMutex &) = delete;
};

using PoolLock = std::unique_lock<PoolMutex>;
using PoolGuard = std::lock_guard<PoolMutex>;
using PoolCondition = std::condition_variable_any;

} // namespace sluice
