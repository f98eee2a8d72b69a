// Turns SIGINT and SIGTERM into a Qt signal in the main thread: the handler only writes one
// byte to a socket pair (async-signal-safe), and a QSocketNotifier reads it in the event loop
// (the "Calling Qt Functions From Unix Signal Handlers" pattern). One watcher per process.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace sluice {

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr); // installs the handlers
    ~SignalWatcher() override;                         // restores the default actions

    bool isValid() const { return m_notifier != nullptr; }

signals:
    // `count` is 1 for the first signal, 2 for the second, and so on.
    void interrupted(int signalNumber, int count);

private:
    void readSignal();
    static void handle(int signalNumber);

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};

} // namespace sluice
