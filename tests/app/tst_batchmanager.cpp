#include "apptestutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <batchmanager.h>
#include <batchmodel.h>
#include <chrono>
#include <failpoints.h>
#include <thread>

using namespace sluice;
using namespace sluice::app;
using apptest::Patience;
using apptest::SchedulingSlack;
using apptest::str;

namespace {

RecipeSettings smallRecipe(bool zip = false)
{
    RecipeSettings s;
    s.recipe.targetSize = QSize(16, 16);
    s.recipe.format = OutputFormat::Png;
    s.output.zip = zip;
    return s;
}

PoolConfig twoWorkers()
{
    PoolConfig config;
    config.workers = 2;
    config.retry.baseDelayMs = 1;
    return config;
}

// Holds every task until released or canceled, checking the token. The pool's threads read it
// until the manager has stopped them, so a test declares its gate before its manager: a gate
// that goes first (opened on the last line, while a task still sleeps in it) would be read
// after its end whenever that task wakes late.
struct Gate
{
    std::atomic<bool> open{false};
    TaskHook hook()
    {
        return [this](const TaskContext &ctx) {
            while (!open.load() && !ctx.isCanceled())
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        };
    }
};

} // namespace

class tst_BatchManager : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void folderBatchFinishes();
    void hiddenFilesAreCountedOrTaken_data();
    void hiddenFilesAreCountedOrTaken();
    void unknownNameTokenIsRefused();
    void zipOutputIsCompleted();
    void pauseAndResume();
    void cancelDropsQueuedWork();
    void priorityChangeIsAnnounced();
    void retryFailedMakesANewBatch();
    void removeOnlyWhenFinished();
    void shutdownCancelsSlowWorkInTime();

    // Journals: what a shutdown leaves is resumable, what ends or is canceled is not.
    void shutdownLeavesAResumableJob();
    void finishedAndCanceledLeaveNothingToResume();
    void fullDiskPausesWithTheReason();
    void pausedBeforeItsRowExistsShowsTheReason();
    void discardForgetsTheJobAndItsUnfinishedArchive();

private:
    QTemporaryDir m_data; // XDG_DATA_HOME: the default journal folder, never the user's
};

void tst_BatchManager::initTestCase()
{
    QVERIFY(m_data.isValid());
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_data.path()));
}

void tst_BatchManager::folderBatchFinishes()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("photos"), 12);
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QVERIFY(batch != 0);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(batch).done, 12);
    QCOMPARE(manager.items(batch).size(), 12);
    QCOMPARE(manager.outputPath(batch), dir.filePath(QStringLiteral("photos-sluice")));
    QCOMPARE(testimages::listFiles(manager.outputPath(batch)).size(), 12);
    QVERIFY(!manager.isScanning(batch));
}

// Issue 12: a dot-file is skipped as "hidden" (and counted) unless the recipe panel's "Include
// hidden files" is on; a resumed job keeps the choice.
void tst_BatchManager::hiddenFilesAreCountedOrTaken_data()
{
    QTest::addColumn<bool>("includeHidden");
    QTest::newRow("skipped") << false;
    QTest::newRow("included") << true;
}

void tst_BatchManager::hiddenFilesAreCountedOrTaken()
{
    QFETCH(bool, includeHidden);
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("photos"), 2);
    QVERIFY(QFile::copy(folder + QLatin1Char('/') + QDir(folder).entryList(QDir::Files).first(),
                        folder + QStringLiteral("/.hidden.jpg")));
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    RecipeSettings settings = smallRecipe();
    settings.includeHidden = includeHidden;
    const BatchId batch = manager.addBatch({folder}, settings);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(batch).done, includeHidden ? 3 : 2);
    QCOMPARE(model.countersOf(batch).skipped, includeHidden ? 0 : 1);
    QCOMPARE(manager.items(batch).size(), 3);
}

// Issue 14: "{nme}_{w}.{ext}" wrote "{nme}_1500.png": now the batch is refused, naming it.
void tst_BatchManager::unknownNameTokenIsRefused()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("photos"), 1);
    BatchManager manager(twoWorkers());
    RecipeSettings settings = smallRecipe();
    settings.recipe.nameTemplate = QStringLiteral("{nme}_{w}.{ext}");
    QString error;
    QCOMPARE(manager.addBatch({folder}, settings, Priority::Normal, &error), BatchId(0));
    QVERIFY2(error.contains(QLatin1String("{nme}")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("photos-sluice"))));
}

void tst_BatchManager::zipOutputIsCompleted()
{
    QTemporaryDir dir;
    const QString zip = apptest::makeImageZip(dir.path(), QStringLiteral("supplier.zip"), 5);
    BatchManager manager(twoWorkers());
    QSignalSpy closed(&manager, &BatchManager::outputClosed);
    const BatchId batch = manager.addBatch({zip}, smallRecipe(true));
    QVERIFY(batch != 0);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, Patience);
    QCOMPARE(closed.first().at(1).toBool(), true);
    QCOMPARE(manager.outputPath(batch), dir.filePath(QStringLiteral("supplier-sluice.zip")));
    QCOMPARE(testimages::zipEntryNames(manager.outputPath(batch)).size(), 5);
    QVERIFY(!QFile::exists(manager.outputPath(batch) + QStringLiteral(".part")));
}

void tst_BatchManager::pauseAndResume()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("p"), 10);
    Gate gate;
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    manager.setTaskHook(gate.hook());
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    manager.pause(batch);
    gate.open = true;
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Paused), Patience);
    const qint64 doneWhilePaused = model.countersOf(batch).done;
    QTest::qWait(100);
    QCOMPARE(model.countersOf(batch).done, doneWhilePaused);
    manager.resume(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(batch).done, 10);
}

void tst_BatchManager::cancelDropsQueuedWork()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("c"), 10);
    Gate gate;
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    manager.setTaskHook(gate.hook());
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QTRY_VERIFY_WITH_TIMEOUT(model.countersOf(batch).running > 0, Patience);
    manager.cancel(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Canceled), Patience);
    QCOMPARE(model.countersOf(batch).done, 0);
    QVERIFY(!manager.isActive(batch));
    QVERIFY(testimages::listFiles(manager.outputPath(batch)).isEmpty());
}

void tst_BatchManager::priorityChangeIsAnnounced()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("pr"), 4);
    Gate gate;
    BatchManager manager(twoWorkers());
    manager.setTaskHook(gate.hook());
    QSignalSpy changed(&manager, &BatchManager::priorityChanged);
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    manager.setPriority(batch, Priority::High);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(int(manager.priority(batch)), int(Priority::High));
    gate.open = true;
}

void tst_BatchManager::retryFailedMakesANewBatch()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("r"), 3);
    testimages::writeFile(folder + QStringLiteral("/broken.jpg"),
                          QByteArray("\xFF\xD8\xFF\xE0 not really a jpeg", 22));
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(manager.failedCount(batch), 1);
    const BatchId retry = manager.retryFailed(batch);
    QVERIFY(retry != 0 && retry != batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(retry)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(retry).submitted, 1);
    QCOMPARE(model.countersOf(retry).failed, 1);
    QCOMPARE(manager.outputPath(retry), manager.outputPath(batch));
}

void tst_BatchManager::removeOnlyWhenFinished()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("rm"), 3);
    Gate gate;
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    manager.setTaskHook(gate.hook());
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QVERIFY(!manager.remove(batch));
    gate.open = true;
    QTRY_VERIFY_WITH_TIMEOUT(!manager.isActive(batch), Patience);
    QVERIFY(manager.remove(batch));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!manager.contains(batch));
}

void tst_BatchManager::shutdownCancelsSlowWorkInTime()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("s"), 8);
    const QString zip = apptest::makeImageZip(dir.path(), QStringLiteral("z.zip"), 4);
    Gate gate; // never opened: the work is slower than the deadline
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    manager.setTaskHook(gate.hook());
    const BatchId folderBatch = manager.addBatch({folder}, smallRecipe());
    const BatchId zipBatch = manager.addBatch({zip}, smallRecipe(true));
    QTRY_VERIFY_WITH_TIMEOUT(
        model.countersOf(folderBatch).running + model.countersOf(zipBatch).running > 0, Patience);
    QSignalSpy finished(&manager, &BatchManager::shutdownFinished);
    QElapsedTimer clock;
    clock.start();
    manager.beginShutdown(300);
    // In time: the 300 ms timeout and the pool's grace, not the never-ending work.
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Patience);
    QVERIFY2(clock.elapsed() < 300 + 200 + SchedulingSlack,
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!manager.hasActiveBatches());
    QVERIFY(testimages::listFiles(manager.outputPath(folderBatch)).isEmpty());
    QVERIFY(!QFile::exists(manager.outputPath(zipBatch)));
    QVERIFY(!QFile::exists(manager.outputPath(zipBatch) + QStringLiteral(".part")));
}

void tst_BatchManager::shutdownLeavesAResumableJob()
{
    QTemporaryDir dir;
    const QString journals = dir.filePath(QStringLiteral("journals"));
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("r"), 10);
    QString output;
    {
        BatchManager manager(twoWorkers());
        manager.setJournalDirectory(journals);
        BatchModel model(&manager);
        // The first three images go through; the rest hold until the shutdown cancels them.
        auto started = std::make_shared<std::atomic<int>>(0);
        manager.setTaskHook([started](const TaskContext &ctx) {
            if (started->fetch_add(1) < 3)
                return;
            while (!ctx.isCanceled())
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        });
        const BatchId batch = manager.addBatch({folder}, smallRecipe());
        output = manager.outputPath(batch);
        QTRY_COMPARE_WITH_TIMEOUT(model.countersOf(batch).done, 3, Patience);
        QSignalSpy finished(&manager, &BatchManager::shutdownFinished);
        manager.beginShutdown(200);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Patience);
    }
    QCOMPARE(testimages::listFiles(output).size(), 3);

    BatchManager manager(twoWorkers());
    manager.setJournalDirectory(journals);
    BatchModel model(&manager);
    const QList<Journal::Summary> jobs = manager.unfinishedJobs();
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.first().spec.inputs, QStringList{folder});
    QCOMPARE(jobs.first().spec.output, output);
    QCOMPARE(jobs.first().finishedItems, qint64(3));
    QString error;
    const BatchId batch = manager.resumeJob(jobs.first(), &error);
    QVERIFY2(batch != 0, qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(batch).done, 7);          // the rest
    QCOMPARE(model.countersOf(batch).skipped, 3);       // done before: kept, not redone
    QCOMPARE(testimages::listFiles(output).size(), 10); // no "img1 (1).jpg"
    QVERIFY(manager.unfinishedJobs().isEmpty());
}

void tst_BatchManager::finishedAndCanceledLeaveNothingToResume()
{
    QTemporaryDir dir;
    const QString journals = dir.filePath(QStringLiteral("journals"));
    Gate gate;
    BatchManager manager(twoWorkers());
    manager.setJournalDirectory(journals);
    BatchModel model(&manager);
    manager.setTaskHook(gate.hook());
    const BatchId canceled = manager.addBatch(
        {apptest::makeImageFolder(dir.path(), QStringLiteral("c"), 4)}, smallRecipe());
    QTRY_VERIFY_WITH_TIMEOUT(model.countersOf(canceled).running > 0, Patience);
    QCOMPARE(QDir(journals).entryList({QStringLiteral("*.journal")}).size(), 1);
    manager.cancel(canceled);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(canceled)), str(BatchState::Canceled), Patience);
    gate.open = true;
    const BatchId finished = manager.addBatch(
        {apptest::makeImageFolder(dir.path(), QStringLiteral("f"), 4)}, smallRecipe());
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(finished)), str(BatchState::Finished), Patience);
    QVERIFY(QDir(journals).entryList({QStringLiteral("*.journal")}).isEmpty());
    QVERIFY(manager.unfinishedJobs().isEmpty());
}

void tst_BatchManager::fullDiskPausesWithTheReason()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("d"), 3);
    QVERIFY(Failpoints::configure(QStringLiteral("write=enospc:once")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    BatchManager manager(twoWorkers());
    BatchModel model(&manager);
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Paused), Patience);
    const int row = 0;
    const QString state =
        model.data(model.index(row, BatchModel::StateColumn), Qt::ToolTipRole).toString();
    QVERIFY2(state.contains(QStringLiteral("disk is full")), qPrintable(state));
    QCOMPARE(model.countersOf(batch).failed, 0);
    manager.resume(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
    QCOMPARE(model.countersOf(batch).done, 3);
}

// On a busy machine the first image can hit the full disk before the window's model has the
// batch's row: the row must still show why it paused (CI saw a bare "Paused").
void tst_BatchManager::pausedBeforeItsRowExistsShowsTheReason()
{
    QTemporaryDir dir;
    const QString folder = apptest::makeImageFolder(dir.path(), QStringLiteral("d"), 3);
    QVERIFY(Failpoints::configure(QStringLiteral("write=enospc:once")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    BatchManager manager(twoWorkers());
    // Connected before the model: the batch is paused by the time the model adds its row.
    bool pausedFirst = false;
    connect(&manager, &BatchManager::batchAdded, &manager, [&](BatchId id) {
        QDeadlineTimer deadline(Patience);
        while (manager.pool().engine().state(id) != BatchState::Paused && !deadline.hasExpired())
            QThread::msleep(2);
        pausedFirst = manager.pool().engine().state(id) == BatchState::Paused;
    });
    BatchModel model(&manager);
    const BatchId batch = manager.addBatch({folder}, smallRecipe());
    QVERIFY(pausedFirst);
    QCOMPARE(str(model.stateOf(batch)), str(BatchState::Paused));
    const QString state =
        model.data(model.index(0, BatchModel::StateColumn), Qt::ToolTipRole).toString();
    QVERIFY2(state.contains(QStringLiteral("disk is full")), qPrintable(state));
    manager.resume(batch);
    QTRY_COMPARE_WITH_TIMEOUT(str(model.stateOf(batch)), str(BatchState::Finished), Patience);
}

void tst_BatchManager::discardForgetsTheJobAndItsUnfinishedArchive()
{
    QTemporaryDir dir;
    const QString journals = dir.filePath(QStringLiteral("journals"));
    JobSpec spec;
    spec.inputs = {dir.filePath(QStringLiteral("in"))};
    spec.output = dir.filePath(QStringLiteral("out.zip"));
    {
        auto journal = Journal::open(spec, Journal::Mode::Fresh, nullptr, journals);
        QVERIFY(journal); // closed as interrupted when it goes out of scope
    }
    testimages::writeFile(spec.output + QStringLiteral(".part"), "half an archive");
    BatchManager manager(twoWorkers());
    manager.setJournalDirectory(journals);
    const QList<Journal::Summary> jobs = manager.unfinishedJobs();
    QCOMPARE(jobs.size(), 1);
    QVERIFY(manager.discardJob(jobs.first()));
    QVERIFY(manager.unfinishedJobs().isEmpty());
    QVERIFY(!QFile::exists(spec.output + QStringLiteral(".part")));
}

QTEST_MAIN(tst_BatchManager)
#include "tst_batchmanager.moc"
