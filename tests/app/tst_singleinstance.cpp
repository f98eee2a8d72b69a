// One Sluice window per user (issue 14, bug 10): a second start hands its paths to the first
// over a local socket and exits; the first gets them absolute. The second start runs on a
// thread of its own here, as it would in a process of its own, since it waits for the answer
// that the first one's event loop gives.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>
#include <singleinstance.h>

using sluice::app::SingleInstance;

namespace {

constexpr int Patience = 60000;

// handOver() from another thread, as a second `sluice PATH...` would; its answer lands in
// `result` (1 taken, 0 not) when the thread ends.
std::unique_ptr<QThread> secondStart(const QString &socket, const QStringList &paths,
                                     std::atomic<int> &result)
{
    std::unique_ptr<QThread> thread(QThread::create([socket, paths, &result] {
        result = SingleInstance::handOver(socket, paths, Patience) ? 1 : 0;
    }));
    thread->start();
    return thread;
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT
private slots:
    void firstStartListens();
    void secondStartHandsOverItsPaths();
    void aStartWithoutPathsOnlyAsksForTheWindow();
    void aSocketLeftByACrashIsReplaced();
    void theWindowThatStopsFreesTheSocket();

private:
    QString socketIn(const QTemporaryDir &dir) const { return dir.filePath(QStringLiteral("s")); }
};

void tst_SingleInstance::firstStartListens()
{
    QTemporaryDir dir;
    SingleInstance first(socketIn(dir));
    QVERIFY(!first.handOverOrListen({QStringLiteral("a.jpg")}, 2000));
    QVERIFY(first.isListening());
    QCOMPARE(first.error(), QString());
    QVERIFY(QFile::exists(socketIn(dir)));
}

void tst_SingleInstance::secondStartHandsOverItsPaths()
{
    QTemporaryDir dir;
    SingleInstance first(socketIn(dir));
    QVERIFY(!first.handOverOrListen({}, 2000));
    QSignalSpy received(&first, &SingleInstance::pathsReceived);
    std::atomic<int> taken{-1};
    const auto thread = secondStart(
        socketIn(dir), {QStringLiteral("holiday"), QStringLiteral("/data/supplier.zip")}, taken);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Patience);
    QVERIFY(thread->wait(Patience));
    QCOMPARE(taken.load(), 1);
    // Made absolute in the second start's working folder (the same one here).
    QCOMPARE(received.at(0).at(0).toStringList(),
             QStringList({QDir::current().absoluteFilePath(QStringLiteral("holiday")),
                          QStringLiteral("/data/supplier.zip")}));
}

void tst_SingleInstance::aStartWithoutPathsOnlyAsksForTheWindow()
{
    QTemporaryDir dir;
    SingleInstance first(socketIn(dir));
    QVERIFY(!first.handOverOrListen({}, 2000));
    QSignalSpy received(&first, &SingleInstance::pathsReceived);
    std::atomic<int> taken{-1};
    const auto thread = secondStart(socketIn(dir), {}, taken);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, Patience);
    QVERIFY(thread->wait(Patience));
    QCOMPARE(taken.load(), 1);
    QVERIFY(received.at(0).at(0).toStringList().isEmpty());
}

// A window that crashed leaves its socket file behind: nobody answers there, so the next start
// replaces it and listens, rather than failing or handing paths to no one.
void tst_SingleInstance::aSocketLeftByACrashIsReplaced()
{
    QTemporaryDir dir;
    {
        QFile stale(socketIn(dir));
        QVERIFY(stale.open(QIODevice::WriteOnly));
    }
    QVERIFY(!SingleInstance::handOver(socketIn(dir), {QStringLiteral("x")}, 2000));
    SingleInstance next(socketIn(dir));
    QVERIFY(!next.handOverOrListen({QStringLiteral("x")}, 2000));
    QVERIFY2(next.isListening(), qPrintable(next.error()));
}

void tst_SingleInstance::theWindowThatStopsFreesTheSocket()
{
    QTemporaryDir dir;
    {
        SingleInstance first(socketIn(dir));
        QVERIFY(!first.handOverOrListen({}, 2000));
        QVERIFY(first.isListening());
    }
    QVERIFY(!SingleInstance::handOver(socketIn(dir), {QStringLiteral("x")}, 2000));
    SingleInstance again(socketIn(dir));
    QVERIFY(!again.handOverOrListen({}, 2000));
    QVERIFY(again.isListening());
}

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_singleinstance.moc"
