// BatchRunner: one batch from a spec to a closed output, as both front ends rely on it: every
// item recorded, the output closed (a ZIP finished or discarded), the journal deleted when
// nothing is left to resume and kept when a shutdown cut the batch short, resume keeping what
// was done, shards splitting the inputs, and typed refusals.
#include "testimages.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <batchrunner.h>
#include <chrono>
#include <poolsetup.h>
#include <thread>
#include <zipsink.h>

using namespace sluice;

namespace {

PoolConfig twoWorkers()
{
    PoolConfig config;
    config.workers = 2;
    config.retry.baseDelayMs = 1;
    return config;
}

// Lets `free` tasks through, then holds every later one until opened or canceled.
struct Gate
{
    explicit Gate(int freeTasks)
        : free(freeTasks)
    {}
    std::atomic<int> free;
    std::atomic<bool> open{false};
    TaskHook hook()
    {
        return [this](const TaskContext &ctx) {
            if (free.fetch_sub(1) > 0)
                return;
            while (!open.load() && !ctx.isCanceled())
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        };
    }
};

int countOf(const QVector<ItemRecord> &items, ResultStatus status)
{
    return int(std::count_if(items.begin(), items.end(),
                             [status](const ItemRecord &r) { return r.status == status; }));
}

} // namespace

class tst_BatchRunner : public QObject
{
    Q_OBJECT

private:
    QString makeFolder(const QString &name, int count) const
    {
        const QString folder = m_dir->filePath(name);
        QDir().mkpath(folder);
        for (int i = 0; i < count; ++i)
            testimages::writeImage(
                QStringLiteral("%1/img%2.png").arg(folder).arg(i, 3, 10, QLatin1Char('0')),
                QSize(40, 30), "png");
        return folder;
    }
    BatchSpec spec(const QString &input, const QString &output) const
    {
        BatchSpec s;
        s.name = QStringLiteral("test");
        s.inputs = {input};
        s.output = output;
        s.recipe.targetSize = QSize(16, 16);
        s.recipe.format = OutputFormat::Png;
        s.journaling = BatchSpec::Journaling::Fresh;
        s.journalDirectory = journals();
        return s;
    }
    QString journals() const { return m_dir->filePath(QStringLiteral("journals")); }
    static bool waitEnded(BatchRunner &runner, QSignalSpy &closed)
    {
        if (closed.isEmpty() && !closed.wait(30000))
            return false;
        return !runner.isActive();
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void folderBatchRecordsEveryItemAndLeavesNoJournal()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 7);
        WorkerPool pool(twoWorkers());
        BatchRunner runner(pool, spec(in, m_dir->filePath(QStringLiteral("out"))));
        QSignalSpy closed(&runner, &BatchRunner::outputClosed);
        QSignalSpy scanned(&runner, &BatchRunner::scanFinished);
        QSignalSpy finishedItems(&runner, &BatchRunner::itemsFinished);
        QVERIFY(runner.start());
        QVERIFY(runner.id() != 0);
        QVERIFY(runner.journal());
        QVERIFY(waitEnded(runner, closed));
        QCOMPARE(closed.first().at(1).toBool(), true);
        QTRY_COMPARE(scanned.size(), 1);
        QCOMPARE(scanned.first().at(1).toLongLong(), 7);
        QCOMPARE(runner.items().size(), 7);
        QCOMPARE(countOf(runner.items(), ResultStatus::Done), 7);
        int announced = 0;
        for (const QList<QVariant> &args : std::as_const(finishedItems))
            announced += args.at(2).toInt();
        QCOMPARE(announced, 7);
        QSet<quint64> tags;
        for (const ItemRecord &r : runner.items()) {
            tags.insert(r.tag);
            QVERIFY(QFileInfo(r.outputPath).isFile());
            QCOMPARE(r.outputSize, QSize(16, 12));
        }
        QCOMPARE(tags.size(), 7);
        QCOMPARE(runner.itemCount(), 7);
        QVERIFY(!runner.journal()); // closed
        QVERIFY(Journal::unfinished(journals()).isEmpty());
        QVERIFY(!QFileInfo::exists(Journal::pathFor(runner.spec().jobSpec(), journals())));
    }

    void zipIsFinishedOrDiscarded_data()
    {
        QTest::addColumn<bool>("cancel");
        QTest::newRow("complete") << false;
        QTest::newRow("canceled") << true;
    }
    void zipIsFinishedOrDiscarded()
    {
        QFETCH(bool, cancel);
        const QString in = makeFolder(QStringLiteral("photos"), 6);
        const QString zip = m_dir->filePath(QStringLiteral("out.zip"));
        Gate gate(cancel ? 2 : 1000); // before the pool: its threads read it
        WorkerPool pool(twoWorkers());
        BatchSpec s = spec(in, zip);
        s.hook = gate.hook();
        BatchRunner runner(pool, std::move(s));
        QSignalSpy closed(&runner, &BatchRunner::outputClosed);
        QVERIFY(runner.start());
        QVERIFY(runner.isZipOutput());
        if (cancel) {
            QTRY_COMPARE_WITH_TIMEOUT(runner.items().size(), 2, 30000);
            runner.cancel();
        }
        QVERIFY(waitEnded(runner, closed));
        QCOMPARE(closed.first().at(1).toBool(), !cancel);
        QCOMPARE(runner.outputDiscarded(), cancel);
        QCOMPARE(QFileInfo::exists(zip), !cancel);
        QVERIFY(!QFileInfo::exists(ZipSink::temporaryPathFor(zip)));
        if (!cancel)
            QCOMPARE(testimages::zipEntryNames(zip).size(), 6);
        // Completed or canceled by the user: nothing to resume either way.
        QVERIFY(Journal::unfinished(journals()).isEmpty());
    }

    void shutdownKeepsTheJournalAndResumeKeepsWhatWasDone()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 8);
        const QString out = m_dir->filePath(QStringLiteral("out"));
        {
            Gate gate(3); // before the pool: its threads read it
            WorkerPool pool(twoWorkers());
            BatchSpec s = spec(in, out);
            s.hook = gate.hook();
            BatchRunner runner(pool, std::move(s));
            QSignalSpy stopped(&pool, &WorkerPool::shutdownFinished);
            QVERIFY(runner.start());
            QTRY_COMPARE_WITH_TIMEOUT(runner.items().size(), 3, 30000);
            runner.requestStop();
            pool.shutdownInBackground(QDeadlineTimer(200));
            QVERIFY(stopped.wait(30000));
            runner.closeAfterShutdown();
            QVERIFY(runner.waitForFeeder(QDeadlineTimer(30000)));
            QVERIFY(!runner.isActive());
            QCOMPARE(countOf(runner.items(), ResultStatus::Done), 3);
        }
        const QList<Journal::Summary> left = Journal::unfinished(journals());
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().finishedItems, qint64(3));

        WorkerPool pool(twoWorkers());
        BatchSpec s = spec(in, out);
        s.journaling = BatchSpec::Journaling::Resume;
        BatchRunner runner(pool, std::move(s));
        QSignalSpy closed(&runner, &BatchRunner::outputClosed);
        QVERIFY(runner.start());
        QVERIFY(runner.journal() && runner.journal()->resumed());
        QCOMPARE(runner.journal()->previousDone(), qint64(3));
        QVERIFY(waitEnded(runner, closed));
        int doneBefore = 0;
        for (const ItemRecord &r : runner.items())
            doneBefore += r.skip == ImageResult::Skip::DoneBefore;
        QCOMPARE(doneBefore, 3);
        QCOMPARE(countOf(runner.items(), ResultStatus::Done), 5);
        QCOMPARE(testimages::listFiles(out).size(), 8); // nothing written twice
        QVERIFY(Journal::unfinished(journals()).isEmpty());
    }

    void shardsSplitTheInputsExactly()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 20);
        WorkerPool pool(twoWorkers());
        QSet<QString> seen;
        qint64 outside = 0;
        for (int shard = 0; shard < 3; ++shard) {
            BatchSpec s = spec(in, m_dir->filePath(QStringLiteral("out")));
            s.shardIndex = shard;
            s.shardCount = 3;
            BatchRunner runner(pool, std::move(s));
            QSignalSpy closed(&runner, &BatchRunner::outputClosed);
            QVERIFY(runner.start());
            QVERIFY(waitEnded(runner, closed));
            QVERIFY(runner.waitForFeeder(QDeadlineTimer(30000)));
            for (const ItemRecord &r : runner.items()) {
                const QString rel = runner.input(r.tag).relativePath;
                QVERIFY2(!seen.contains(rel), qPrintable(rel)); // in one shard only
                seen.insert(rel);
            }
            QCOMPARE(runner.outOfShard() + runner.items().size(), 20);
            outside += runner.outOfShard();
        }
        QCOMPARE(seen.size(), 20);
        QCOMPARE(outside, 40);
    }

    void retryReplaysTheGivenItems()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 4);
        WorkerPool pool(twoWorkers());
        BatchSpec s = spec(in, m_dir->filePath(QStringLiteral("out")));
        s.journaling = BatchSpec::Journaling::None;
        s.items = {
            InputItem::fromFile(in + QStringLiteral("/img001.png"), QStringLiteral("img001.png")),
            InputItem::fromFile(in + QStringLiteral("/img003.png"), QStringLiteral("img003.png"))};
        BatchRunner runner(pool, std::move(s));
        QSignalSpy closed(&runner, &BatchRunner::outputClosed);
        QVERIFY(runner.start());
        QVERIFY(!runner.journal());
        QVERIFY(waitEnded(runner, closed));
        QCOMPARE(countOf(runner.items(), ResultStatus::Done), 2);
        QCOMPARE(testimages::listFiles(m_dir->filePath(QStringLiteral("out"))).size(), 2);
    }

    void refusalsAreTyped()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 2);
        const QString out = m_dir->filePath(QStringLiteral("out"));
        WorkerPool pool(twoWorkers());
        {
            // Another process (here: an open journal) runs the same job.
            JournalError held;
            auto other =
                Journal::open(spec(in, out).jobSpec(), Journal::Mode::Fresh, &held, journals());
            QVERIFY(other);
            BatchRunner runner(pool, spec(in, out));
            BatchRunner::StartError error;
            QVERIFY(!runner.start(&error));
            QCOMPARE(int(error.kind), int(BatchRunner::StartError::Kind::JournalBusy));
            QVERIFY(!error.message.isEmpty());
            // `other` closes as interrupted: a resumable job with the 16x16 recipe
        }
        {
            BatchSpec s = spec(in, out);
            s.recipe.targetSize = QSize(99, 99);
            s.journaling = BatchSpec::Journaling::Resume;
            BatchRunner runner(pool, std::move(s));
            BatchRunner::StartError error;
            QVERIFY(!runner.start(&error));
            QCOMPARE(int(error.kind), int(BatchRunner::StartError::Kind::JournalOtherSettings));
        }
        {
            // An output archive inside a file cannot be made.
            testimages::writeFile(m_dir->filePath(QStringLiteral("file")), "x");
            BatchSpec s = spec(in, m_dir->filePath(QStringLiteral("file/out.zip")));
            BatchRunner runner(pool, std::move(s));
            BatchRunner::StartError error;
            QVERIFY(!runner.start(&error));
            QCOMPARE(int(error.kind), int(BatchRunner::StartError::Kind::OutputUnusable));
        }
    }

    void anUnwritableJournalFolderOnlyWarns()
    {
        const QString in = makeFolder(QStringLiteral("photos"), 3);
        testimages::writeFile(m_dir->filePath(QStringLiteral("file")), "x");
        WorkerPool pool(twoWorkers());
        BatchSpec s = spec(in, m_dir->filePath(QStringLiteral("out")));
        s.journalDirectory = m_dir->filePath(QStringLiteral("file/journals"));
        BatchRunner runner(pool, std::move(s));
        QSignalSpy closed(&runner, &BatchRunner::outputClosed);
        BatchRunner::StartError error;
        QVERIFY(runner.start(&error));
        QVERIFY(!runner.journal());
        QVERIFY(runner.journalWarning().contains(QStringLiteral("journal")));
        QVERIFY(waitEnded(runner, closed));
        QCOMPARE(countOf(runner.items(), ResultStatus::Done), 3);
    }

    void pathsAreMadeAbsoluteAndClean()
    {
        WorkerPool pool(twoWorkers());
        BatchSpec s = spec(m_dir->path() + QStringLiteral("/a/../photos/"),
                           m_dir->path() + QStringLiteral("//out/."));
        BatchRunner runner(pool, std::move(s));
        QCOMPARE(runner.spec().inputs, QStringList{m_dir->filePath(QStringLiteral("photos"))});
        QCOMPARE(runner.outputPath(), m_dir->filePath(QStringLiteral("out")));
        QCOMPARE(runner.spec().jobSpec().output, m_dir->filePath(QStringLiteral("out")));
    }

    void skipReasonsAreWords_data()
    {
        QTest::addColumn<int>("skip");
        QTest::addColumn<QString>("text");
        QTest::newRow("not an image") << int(ImageResult::Skip::NotAnImage) << "not an image";
        QTest::newRow("up to date") << int(ImageResult::Skip::UpToDate) << "up to date";
        QTest::newRow("exists") << int(ImageResult::Skip::OutputExists) << "output exists";
        QTest::newRow("earlier") << int(ImageResult::Skip::DoneBefore) << "done in an earlier run";
        QTest::newRow("none") << int(ImageResult::Skip::None) << QString();
    }
    void skipReasonsAreWords()
    {
        QFETCH(int, skip);
        QFETCH(QString, text);
        QCOMPARE(skipReasonText(ImageResult::Skip(skip)), text);
    }

    void recommendedConfigurationIsShared()
    {
        const PoolConfig fixed = recommendedPoolConfig(3, 2.5, 4);
        QVERIFY(!fixed.autoWorkers);
        QCOMPARE(fixed.workers, 3);
        QCOMPARE(fixed.rate.perSecond, 2.5);
        QCOMPARE(fixed.retry.maxAttempts, 5);
        QCOMPARE(fixed.memoryBudgetBytes, DefaultMemoryBudgetBytes);
        QCOMPARE(queueBoundFor(fixed), qint64(4 * 3 + 16));
        const PoolConfig automatic = recommendedPoolConfig(0, 0, DefaultRetries);
        QVERIFY(automatic.autoWorkers);
        QCOMPARE(automatic.autoCap, autoWorkerCap());
        QVERIFY(automatic.autoCap >= 2 && automatic.autoCap <= MaxWorkers);
        QCOMPARE(queueBoundFor(automatic), qint64(4 * automatic.autoCap + 16));
        QCOMPARE(recommendedPoolConfig(1000, 0, 0).workers, 1000); // sluice-cli allows 1024
    }
};

QTEST_GUILESS_MAIN(tst_BatchRunner)
#include "tst_batchrunner.moc"
