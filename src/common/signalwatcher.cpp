#include "signalwatcher.h"

#include <QSocketNotifier>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice {

namespace {

int g_fds[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier

void install(int signalNumber, void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(signalNumber, &action, nullptr);
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_fds) != 0)
        return;
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readSignal);
    install(SIGINT, &SignalWatcher::handle);
    install(SIGTERM, &SignalWatcher::handle);
}

SignalWatcher::~SignalWatcher()
{
    install(SIGINT, SIG_DFL);
    install(SIGTERM, SIG_DFL);
    if (g_fds[0] >= 0) {
        ::close(g_fds[0]);
        ::close(g_fds[1]);
        g_fds[0] = g_fds[1] = -1;
    }
}

void SignalWatcher::handle(int signalNumber)
{
    const char byte = char(signalNumber);
    const ssize_t written = ::write(g_fds[0], &byte, 1);
    (void)written; // nothing safe to do about a full pipe inside a handler
}

void SignalWatcher::readSignal()
{
    char byte = 0;
    if (::read(g_fds[1], &byte, 1) == 1)
        emit interrupted(int(byte), ++m_count);
}

} // namespace sluice
