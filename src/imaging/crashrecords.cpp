#include "crashrecords.h"

#include <QtGlobal>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#if defined(Q_OS_UNIX)
#include <unistd.h>
#endif

namespace sluice::crashrecords {

namespace {

std::atomic<int> g_fds[MaxWatched];
constexpr int CrashSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_previous[sizeof(CrashSignals) / sizeof(CrashSignals[0])];
std::once_flag g_handlersInstalled;

extern "C" void onCrashSignal(int sig)
{
#if defined(Q_OS_UNIX)
    const int savedErrno = errno;
    char line[] = "{\"t\":\"crash\",\"sig\":\"00\"}\n";
    char *digits = std::strstr(line, "00");
    digits[0] = char('0' + (sig / 10) % 10);
    digits[1] = char('0' + sig % 10);
    for (auto &slot : g_fds) {
        const int fd = slot.load(std::memory_order_relaxed);
        if (fd >= 0) {
            const ssize_t ignored = ::write(fd, line, sizeof(line) - 1);
            (void)ignored;
        }
    }
    for (size_t i = 0; i < sizeof(CrashSignals) / sizeof(CrashSignals[0]); ++i) {
        if (CrashSignals[i] == sig)
            sigaction(sig, &g_previous[i], nullptr);
    }
    // Delivered again, to the previous disposition (the default, or a sanitizer's), once this
    // handler returns; a fault would also recur when the instruction is re-executed.
    raise(sig);
    errno = savedErrno;
#else
    Q_UNUSED(sig);
#endif
}

void installCrashHandlers()
{
#if defined(Q_OS_UNIX)
    std::call_once(g_handlersInstalled, [] {
        for (auto &slot : g_fds)
            slot.store(-1);
        for (size_t i = 0; i < sizeof(CrashSignals) / sizeof(CrashSignals[0]); ++i) {
            struct sigaction action;
            std::memset(&action, 0, sizeof(action));
            action.sa_handler = onCrashSignal;
            sigemptyset(&action.sa_mask);
            action.sa_flags = SA_ONSTACK;
            sigaction(CrashSignals[i], &action, &g_previous[i]);
        }
    });
#endif
}

} // namespace

int watch(int fd)
{
    installCrashHandlers();
    for (int i = 0; i < MaxWatched; ++i) {
        int expected = -1;
        if (g_fds[i].compare_exchange_strong(expected, fd))
            return i;
    }
    return -1;
}

void unwatch(int slot)
{
    if (slot >= 0)
        g_fds[slot].store(-1);
}

} // namespace sluice::crashrecords
