// SignalWatcher: SIGINT and SIGTERM arrive as Qt signals in the main thread, one per signal.
#include "signalwatcher.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <csignal>

using namespace sluice;

// ms: the Qt signal comes through the event loop; QTRY_* returns as soon as it has arrived, so
// this only bounds a failing test (QTRY's default 5 s is short on a loaded machine).
constexpr int Patience = 60000;

class tst_SignalWatcher : public QObject
{
    Q_OBJECT
private slots:
    void signalBecomesQtSignal_data();
    void signalBecomesQtSignal();
    void eachSignalCounts();
};

void tst_SignalWatcher::signalBecomesQtSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

void tst_SignalWatcher::signalBecomesQtSignal()
{
    QFETCH(int, signalNumber);
    SignalWatcher watcher;
    QSignalSpy spy(&watcher, &SignalWatcher::interrupted);
    QThread *receiverThread = nullptr;
    connect(&watcher, &SignalWatcher::interrupted, this,
            [&receiverThread] { receiverThread = QThread::currentThread(); });
    QCOMPARE(std::raise(signalNumber), 0); // the process survives: the handler is installed
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, Patience);
    QCOMPARE(receiverThread, QThread::currentThread());
}

void tst_SignalWatcher::eachSignalCounts()
{
    SignalWatcher watcher;
    QSignalSpy spy(&watcher, &SignalWatcher::interrupted);
    QCOMPARE(std::raise(SIGTERM), 0);
    QCOMPARE(std::raise(SIGINT), 0);
    // A second Ctrl-C must reach the app too ("quit at once").
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, Patience);
    QCOMPARE(spy.at(0).at(0).toInt(), int(SIGTERM));
    QCOMPARE(spy.at(0).at(1).toInt(), 1);
    QCOMPARE(spy.at(1).at(0).toInt(), int(SIGINT));
    QCOMPARE(spy.at(1).at(1).toInt(), 2);
}

QTEST_GUILESS_MAIN(tst_SignalWatcher)
#include "tst_signalwatcher.moc"
